// Listening like a phone: UDP and TCP on one port number (5060 by default), TLS on its own
// (5061) when we have a certificate and key, on every interface unless an address is pinned.
// A port another program holds is skipped for the next free one, and the result says so.
import type { ParseResult } from './parser';
import type { SipTransport, TransportAddress, TransportProtocol } from './transport';
import { DEFAULT_LIMITS } from './parser';
import type { StreamGuards } from './transport-stream';
import { listenTcp } from './transport-tcp';
import { listenTls } from './transport-tls';
import type { TlsSettings } from './transport-tls';
import { UdpTransport } from './transport-udp';

export const DEFAULT_SIP_PORT = 5060;
export const DEFAULT_SIPS_PORT = 5061;
/** Ports tried after a taken one before giving up. */
const MAX_TRIES = 20;

export interface ListenOptions {
  /** Pinned address to bind; undefined: every interface, IPv6 and IPv4. */
  host?: string;
  /** UDP and TCP port; 0 any free one (the same number for both). */
  port: number;
  /** TLS port (0 any free one); used only with a certificate and key in `tls`. */
  tlsPort: number;
  tls?: TlsSettings;
  /** Caps and timeouts for TCP/TLS connections to us. */
  guards?: Partial<StreamGuards>;
}

/** What a peer can reach, for the UI, the CLI's `listening` line and the API. */
export interface ListeningPorts {
  udp: number | null;
  tcp: number | null;
  /** null: no TLS listener (no certificate configured); outgoing TLS works all the same. */
  tls: number | null;
  /** The bound address: "::" (every interface, dual-stack), "0.0.0.0" (IPv4 only) or the pinned one. */
  bound: string;
  /** Sentences for a person: a taken port and which one was used instead. */
  notes: string[];
}

type Inbound = (r: ParseResult, source: TransportAddress) => void;

function inUse(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'EADDRINUSE' || (e as NodeJS.ErrnoException).code === 'EACCES';
}

/** UDP and TCP on the same number: `port`, else the next one where both are free. */
async function openPair(host: string | undefined, port: number, inbound: Inbound, guards: Partial<StreamGuards> = {}): Promise<[UdpTransport, SipTransport]> {
  let last: unknown;
  for (let i = 0; i < MAX_TRIES; i++) {
    const want = port === 0 ? 0 : port + i;
    if (want > 65535) break;
    let udp: UdpTransport;
    try {
      udp = await UdpTransport.listen(host, want, inbound);
    } catch (e) {
      if (!inUse(e)) throw e;
      last = e;
      continue;
    }
    try {
      return [udp, await listenTcp(host, udp.local.port, inbound, DEFAULT_LIMITS, guards)];
    } catch (e) {
      await udp.close();
      if (!inUse(e)) throw e;
      last = e;
    }
  }
  throw new Error(`no free SIP port from ${port} to ${port + MAX_TRIES - 1} (${last instanceof Error ? last.message : String(last)})`);
}

async function openTls(host: string | undefined, port: number, avoid: number, tls: TlsSettings, inbound: Inbound, guards: Partial<StreamGuards> = {}): Promise<SipTransport> {
  let last: unknown;
  for (let i = 0; i < MAX_TRIES; i++) {
    const want = port === 0 ? 0 : port + i;
    if (want === avoid && want !== 0) continue;
    if (want > 65535) break;
    try {
      return await listenTls(host, want, tls, inbound, DEFAULT_LIMITS, guards);
    } catch (e) {
      if (!inUse(e)) throw e;
      last = e;
    }
  }
  throw new Error(`no free SIP TLS port from ${port} (${last instanceof Error ? last.message : String(last)})`);
}

export async function listenLikeAPhone(o: ListenOptions, inbound: Inbound): Promise<{ transports: Map<TransportProtocol, SipTransport>; ports: ListeningPorts }> {
  const [udp, tcp] = await openPair(o.host, o.port, inbound, o.guards);
  const transports = new Map<TransportProtocol, SipTransport>([
    ['UDP', udp],
    ['TCP', tcp],
  ]);
  const notes: string[] = [];
  if (o.port !== 0 && udp.local.port !== o.port) notes.push(`SIP port ${o.port} is taken by another program; listening on ${udp.local.port} instead`);
  const settings = o.tls ?? {};
  let withCert = !!(settings.cert && settings.key);
  let unusable: string | undefined;
  try {
    if (withCert) {
      try {
        transports.set('TLS', await openTls(o.host, o.tlsPort, udp.local.port, settings, inbound, o.guards));
      } catch (e) {
        // A certificate or key OpenSSL refuses costs the TLS listener only, never SIP.
        if (inUse(e)) throw e;
        withCert = false;
        unusable = `no TLS listener (the certificate or key is not usable: ${String((e as Error).message).slice(0, 80)})`;
      }
    }
    // Without a certificate the TLS transport only dials out (transport-tls.ts).
    if (!withCert) transports.set('TLS', await listenTls(o.host, 0, { ...settings, cert: undefined, key: undefined }, inbound));
  } catch (e) {
    await Promise.all([...transports.values()].map((t) => t.close()));
    throw e;
  }
  const tlsPort = withCert ? transports.get('TLS')!.local.port : null;
  if (withCert && o.tlsPort !== 0 && tlsPort !== o.tlsPort) notes.push(`SIP TLS port ${o.tlsPort} is taken; listening on ${tlsPort} instead`);
  if (!withCert) notes.push(unusable ?? 'no TLS listener (no certificate configured)');
  return { transports, ports: { udp: udp.local.port, tcp: tcp.local.port, tls: tlsPort, bound: udp.local.host, notes } };
}
