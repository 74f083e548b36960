// The UA's transports (RFC 3261 §18): opened as the options say, each message written to the one
// its destination names, and the ports they listen on.
import type { SipMessage } from '../message';
import { DEFAULT_LIMITS } from '../parser';
import { serializeMessage } from '../serializer';
import type { InboundHandler, SipTransport, TransportAddress, TransportProtocol } from '../transport';
import { StreamTransport } from '../transport-stream';
import { listenTcp } from '../transport-tcp';
import { listenTls } from '../transport-tls';
import { UdpTransport } from '../transport-udp';
import { listenLikeAPhone } from '../listen';
import type { ListeningPorts } from '../listen';
import type { SipUaOptions, SipUaStats } from './options';

export class UaTransports {
  private readonly open = new Map<TransportProtocol, SipTransport>();
  /** Set in listen mode (listen.ts); otherwise the ports are read off the transports. */
  private ports: ListeningPorts | undefined;
  /** Set by the UA core: whether a call or transaction may use a connection with `host`. */
  inUse: ((host: string) => boolean) | undefined;

  constructor(
    private readonly stats: SipUaStats,
    /** Read at each send: `trace` may be set after start (the lab's tests do). */
    private readonly options: SipUaOptions,
  ) {}

  /** Opens what the options ask for; every message received goes to `inbound`. */
  async listen(inbound: InboundHandler): Promise<void> {
    const options = this.options;
    const host = options.host;
    if (options.listen) {
      const opened = await listenLikeAPhone({ host, port: options.listen.port, tlsPort: options.listen.tlsPort, tls: options.tls, guards: options.streamGuards }, inbound);
      for (const [p, t] of opened.transports) this.open.set(p, t);
      this.ports = opened.ports;
      this.guardStreams();
      return;
    }
    if (options.udp !== false) this.open.set('UDP', await UdpTransport.listen(host, options.udp?.port ?? 0, inbound, DEFAULT_LIMITS));
    if (options.tcp) this.open.set('TCP', await listenTcp(host, options.tcp.port, inbound, DEFAULT_LIMITS, options.streamGuards));
    if (options.tls) this.open.set('TLS', await listenTls(host, options.tls.port, options.tls, inbound, DEFAULT_LIMITS, options.streamGuards));
    this.guardStreams();
  }

  /** Uses `transport` for its protocol (a rehearsal's, rehearsal.ts: it keeps what it is given). */
  adopt(transport: SipTransport): void {
    this.open.set(transport.protocol, transport);
  }

  /** An idle connection to us stays while a call or transaction may use it (transport-stream.ts). */
  private guardStreams(): void {
    for (const t of this.open.values()) if (t instanceof StreamTransport) t.inUse = (host) => this.inUse?.(host) ?? false;
  }

  has(protocol: TransportProtocol): boolean {
    return this.open.has(protocol);
  }

  protocols(): IterableIterator<TransportProtocol> {
    return this.open.keys();
  }

  /** Local address of a transport ("127.0.0.1", port). */
  local(protocol: TransportProtocol): { host: string; port: number } | undefined {
    return this.open.get(protocol)?.local;
  }

  /** Ports listened on (listen mode); a view of the transports otherwise. */
  get listening(): ListeningPorts {
    if (this.ports) return this.ports;
    const port = (p: TransportProtocol) => this.open.get(p)?.local.port || null;
    return { udp: port('UDP'), tcp: port('TCP'), tls: port('TLS'), bound: this.open.get('UDP')?.local.host ?? '', notes: [] };
  }

  /** RFC 5626 §3.5.1: a CRLF ping on the open TCP/TLS connection to `dest`; false when there is none. */
  pingFlow(dest: TransportAddress): boolean {
    return this.open.get(dest.protocol)?.ping?.(dest.host, dest.port) ?? false;
  }

  /** Writes `msg` to `dest` (§18.1.1, §18.2.2); a failure is counted and reported, never thrown. */
  send(msg: SipMessage, dest: TransportAddress, onError?: (err: Error) => void): void {
    const t = this.open.get(dest.protocol);
    if (!t) return;
    try {
      this.options.trace?.('out', msg, dest);
      t.send(serializeMessage(msg), dest.host, dest.port, onError, dest.serverName);
    } catch (err) {
      this.stats.dropped++;
      onError?.(err instanceof Error ? err : new Error(String(err)));
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((t) => t.close()));
  }
}
