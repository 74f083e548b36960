// What a SIP user agent is started with, and what it counts.
import type { SipMessage } from '../message';
import type { NetworkPoll } from '../network-watch';
import type { DnsLookup } from '../resolve';
import type { Scheduler, SipTimers } from '../timers';
import type { TransportAddress } from '../transport';
import type { TlsSettings } from '../transport-tls';
import type { StreamGuards } from '../transport-stream';

export interface SipUaOptions {
  /** User part of our address (sip:user@domain). */
  user: string;
  displayName?: string;
  /** Domain of our address of record; defaults to the bind host (direct calls). */
  domain?: string;
  /**
   * Address to bind and advertise (tests pin 127.0.0.1). Without it: every interface, and each
   * peer is told the local address its route goes out of (net/local-address.ts).
   */
  host?: string;
  /**
   * Listen like a phone (listen.ts): UDP and TCP on `port` (the next free one when taken), TLS on
   * `tlsPort` with a certificate and key in `tls`. Replaces `udp`/`tcp`.
   */
  listen?: { port: number; tlsPort: number };
  /** Transports to open; port 0 picks a free one. Default: UDP on port 0. */
  udp?: { port: number } | false;
  tcp?: { port: number };
  tls?: { port: number } & TlsSettings;
  /** Caps and timeouts for TCP/TLS connections others open to us (transport-stream.ts); tests shorten them. */
  streamGuards?: Partial<StreamGuards>;
  /** Registrar URI ("sip:host:port;transport=tcp"); no registration when absent. */
  registrar?: string;
  /** Every out-of-dialog request goes through this proxy (a loose route, RFC 3261 §8.1.2). */
  outboundProxy?: string;
  /** DNS servers for RFC 3263 lookups ("127.0.0.1:5353"); default the system's. */
  dnsServers?: readonly string[];
  /** The DNS itself (tests and the lab may bring their own); default node's resolver. */
  dns?: DnsLookup;
  /** Digest credentials (auth user defaults to `user`), given only to the registrar/proxy (own-server.ts). */
  authUser?: string;
  password?: string;
  /** The account's digest realm; without it, the realm the registrar used when registration succeeded. */
  realm?: string;
  /** Seconds asked of the registrar (default 600). */
  registerExpires?: number;
  /** false: start() resolves without registering; the caller calls register() (in the background). */
  registerOnStart?: boolean;
  /** NAT keep-alive to the registrar every this many seconds (default 25; 0: none). */
  keepAliveSeconds?: number;
  /** Network-change polling (default every 5 s of os.networkInterfaces()); false: none. */
  networkPoll?: NetworkPoll | false;
  /** With call waiting off (default), a second incoming call gets 486 Busy Here. */
  callWaiting?: boolean;
  timers?: Partial<SipTimers>;
  scheduler?: Scheduler;
  /** Glare retry delays in ms (§14.1); tests shorten them. */
  glare?: { owner: [number, number]; other: [number, number] };
  userAgent?: string;
  /** Sees every message sent and every parsed message received (debugging, SIP traces). */
  trace?: (direction: 'in' | 'out', message: SipMessage, peer: TransportAddress) => void;
}

export interface SipUaStats {
  /** Requests answered 400 because they did not parse. */
  badRequests: number;
  /** Messages dropped: unparseable with no way to answer, or unframeable streams. */
  dropped: number;
}
