// What the UA's parts share (RFC 3261 §8, §18): its transports and transaction layer, its calls,
// the addresses it advertises (Via §18.1.1, Contact §8.1.1.8) and the sending of requests, with
// digest answers (challenge.ts) and RFC 3263 failover (routing.ts). Sessions see it as their
// UaContext, the registration as its RegistrationContext.
import type { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { SipParseError } from '../errors';
import type { SipMessage, SipRequest, SipResponse } from '../message';
import { OwnServer } from '../own-server';
import type { Registration, RegistrationContext } from '../registration';
import { resolveTargets } from '../resolve';
import type { DnsLookup } from '../resolve';
import { nodeDnsLookup } from '../resolve-dns';
import { sendToTargets } from '../routing';
import type { TargetsArgs } from '../routing';
import type { SipSession, UaContext } from '../session';
import { DEFAULT_TIMERS, realScheduler } from '../timers';
import type { Scheduler, SipTimers } from '../timers';
import { TransactionLayer } from '../transactions';
import type { ClientTransaction, ServerTransaction } from '../transactions';
import type { TransportAddress, TransportProtocol } from '../transport';
import { bareHost, parseUri, uriHost } from '../uri';
import { newBranch } from '../via';
import { LocalAddressBook } from '../../net/local-address';
import { DigestAnswerer } from './challenge';
import type { SipUaOptions, SipUaStats } from './options';
import { UaTransports } from './transports';

/** The host of a URI when it is a name (not an address): what its TLS certificate must show. */
function serverNameOf(uri: string): string | undefined {
  const u = parseUri(uri);
  if (u instanceof SipParseError || u.scheme === 'tel') return undefined;
  const host = bareHost(u.params.get('maddr') || u.host).toLowerCase();
  return isIP(host) === 0 ? host : undefined;
}

export interface UaHandlers {
  onRequest(req: SipRequest, tx: ServerTransaction | undefined, source: TransportAddress): void;
  onStrayResponse(res: SipResponse): void;
}

/**
 * Public members: what transports.ts, incoming.ts, outgoing.ts and challenge.ts share, and the
 * UaContext and RegistrationContext that sessions and registration see; more than fifteen because
 * those parts are functions over it. Callers hold SipUa, never this.
 */
export class UaCore implements UaContext, RegistrationContext {
  readonly layer: TransactionLayer;
  readonly timers: SipTimers;
  readonly scheduler: Scheduler;
  readonly userAgent: string;
  readonly stats: SipUaStats = { badRequests: 0, dropped: 0 };
  readonly transports: UaTransports;
  /** Per-destination local addresses (or the pinned host). */
  readonly addresses: LocalAddressBook;
  /** Who may ask for the password. */
  readonly ownServer: OwnServer;
  readonly sessions = new Set<SipSession>();
  registration: Registration | undefined;
  /** Set by close(): new calls are refused, responses still processed (the unregister needs them). */
  closing = false;
  closed = false;
  private readonly digest: DigestAnswerer;
  /** Dialogs whose session ended with our BYE (byeSent), by Dialog.id. */
  private readonly closingDialogs = new Set<string>();
  private dns: DnsLookup | undefined;

  constructor(
    readonly options: SipUaOptions,
    /** The public UA: 'incoming', 'authRefused' and the registration's events go out on it. */
    readonly events: EventEmitter,
    handlers: UaHandlers,
  ) {
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.scheduler = options.scheduler ?? realScheduler;
    this.userAgent = options.userAgent ?? 'Vouch/0.1';
    this.ownServer = new OwnServer([options.registrar, options.outboundProxy], options.realm);
    this.addresses = new LocalAddressBook(options.host);
    this.transports = new UaTransports(this.stats, options);
    this.layer = new TransactionLayer(this.timers, this.scheduler, (msg, dest, onError) => this.transports.send(msg, dest, onError), handlers);
    // A call with that host, or any transaction (they are short), keeps an idle connection.
    this.transports.inUse = (host) => {
      const open = this.layer.size;
      return open.clients + open.servers > 0 || [...this.sessions].some((s) => s.remoteHost === host);
    };
    this.digest = new DigestAnswerer({
      layer: this.layer,
      ownServer: this.ownServer,
      hasTransport: (p) => this.transports.has(p),
      addVia: (req, protocol, peer) => this.addVia(req, protocol, peer),
      credentials: () => (options.password === undefined || this.closed ? undefined : { user: options.authUser ?? options.user, password: options.password }),
      refused: (reason) => this.events.emit('authRefused', reason),
    });
  }

  /** Our address of record, as `peer` can reach it when we have no domain (direct calls). */
  aorFor(peer: string | undefined): string {
    return `sip:${this.options.user}@${this.options.domain ?? uriHost(this.addresses.get(peer))}`;
  }

  /** RFC 3263: the servers to try for `uri`, over the transports this UA has open. */
  resolve(uri: string): Promise<TransportAddress[] | SipParseError> {
    this.dns ??= this.options.dns ?? nodeDnsLookup({ servers: this.options.dnsServers });
    // Each target's local address is looked up now, so Via and Contact can be written at once.
    return resolveTargets(uri, this.dns, { supported: new Set(this.transports.protocols()) }).then(async (targets) => {
      if (!(targets instanceof SipParseError)) {
        // RFC 5922 §4: a TLS server proves it is the URI's domain, whatever address DNS gave.
        const name = serverNameOf(uri);
        if (name) for (const t of targets) if (t.protocol === 'TLS') t.serverName = name;
        this.ownServer.addTargets(uri, targets);
        await Promise.all(targets.map((t) => this.addresses.prime(t.host)));
      }
      return targets;
    });
  }

  pingFlow(dest: TransportAddress): boolean {
    return this.transports.pingFlow(dest);
  }

  sendToTargets(...args: TargetsArgs): void {
    sendToTargets(this, ...args);
  }

  /** Our Contact for a request or response to `peer` (the address its route reaches us on). */
  contactFor(protocol: TransportProtocol, peer?: string): string {
    const local = this.localContact(protocol, peer);
    // Towards the registrar from behind a NAT: the address it saw us come from (registration.ts).
    return (peer !== undefined && this.registration?.natContact(local, protocol, peer)) || local;
  }

  /**
   * The address an SDP o=/c= line gives `peer` (the call's next hop): towards the registrar from
   * behind a NAT, the public address it saw us come from (the same rule as contactFor), so the
   * far end sends media through our NAT without a server rewriting the SDP; else the local one.
   */
  mediaAddressFor(peer: string | undefined): string {
    const local = this.addresses.get(peer);
    return (peer !== undefined && this.registration?.publicHostFor(peer, local)) || local;
  }

  /** Our Contact as our own interfaces give it (no NAT mapping). */
  localContact(protocol: TransportProtocol, peer?: string): string {
    const port = (this.transports.local(protocol) ?? this.transports.local('UDP'))?.port ?? 5060;
    const host = uriHost(this.addresses.get(peer));
    const tp = protocol === 'UDP' ? '' : `;transport=${protocol.toLowerCase()}`;
    return `<sip:${this.options.user}@${host}:${port}${tp}>`;
  }

  /** Our Via for a request to `peer`: sent-by is the address its route leaves from (§18.1.1). */
  addVia(req: SipRequest, protocol: TransportProtocol, peer?: string): void {
    const host = uriHost(this.addresses.get(peer));
    // RFC 3581: rport asks for responses to the source port; the branch carries the magic cookie.
    req.headers.prepend('Via', `SIP/2.0/${protocol} ${host}:${this.transports.local(protocol)?.port ?? 0};branch=${newBranch()};rport`);
  }

  sendWithAuth(req: SipRequest, dest: TransportAddress, onResponse: (res: SipResponse) => void, nextSeq: () => number, onResend?: (req: SipRequest) => void): ClientTransaction | undefined {
    return this.digest.send(req, dest, onResponse, nextSeq, onResend);
  }

  sendStateless(msg: SipMessage, dest: TransportAddress): void {
    this.transports.send(msg, dest);
  }

  sessionEnded(s: SipSession): void {
    this.sessions.delete(s);
  }

  byeSent(dialogId: string): void {
    this.closingDialogs.add(dialogId);
    // As long as our BYE's transaction can live (Timer F, 64·T1, §17.1.2.2).
    this.scheduler.set(64 * this.timers.t1, () => this.closingDialogs.delete(dialogId));
  }

  /** A dialog we sent a BYE on that its transaction may still be ending. */
  isClosing(dialogId: string): boolean {
    return this.closingDialogs.has(dialogId);
  }

  glareDelay(owner: boolean): number {
    const [lo, hi] = owner ? (this.options.glare?.owner ?? [2100, 4000]) : (this.options.glare?.other ?? [0, 2000]);
    // §14.1: chosen in units of 10 ms.
    return lo + Math.floor((Math.random() * (hi - lo)) / 10) * 10;
  }
}
