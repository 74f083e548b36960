// TCP and TLS transports (RFC 3261 §18, §26.2): a listening server plus a pool of connections
// keyed by remote address, reused in both directions (§18.2.2: responses go back over the
// connection the request came on). Messages are framed by Content-Length.
// Accepted connections are guarded (issue 20): caps in total and per source address, a message
// must arrive whole within a time (slowloris), a connection that says nothing and carries no
// call is closed, and an oversized message closes the connection after a 413 (RFC 3261 §21.4.11).
import type { Server, Socket } from 'node:net';
import { DEFAULT_LIMITS } from './parser';
import type { ParseLimits } from './parser';
import { SipStreamFramer } from './stream-framer';
import type { InboundHandler, SipTransport, TransportProtocol } from './transport';

export interface StreamConnector {
  /** Opens a connection; it must emit 'connect' (TCP) or 'secureConnect' (TLS) when ready. */
  connect(host: string, port: number, serverName?: string): Socket;
  readyEvent: 'connect' | 'secureConnect';
  /** Turns a failed connect into an error a person can act on (TLS: the certificate check). */
  describeError?: (err: Error, host: string) => Error;
}

const MAX_QUEUED_BYTES = 1 << 20;

/** Limits on the connections others open to us. */
export interface StreamGuards {
  /** Accepted connections held at once. */
  maxConnections: number;
  /** Accepted connections held at once from one address. */
  maxPerSource: number;
  /** A message begun must be complete within this (ms), else the connection closes. */
  incompleteMessageMs: number;
  /** An accepted connection with no bytes either way for this long (ms) closes unless `inUse`. */
  idleMs: number;
}

/** Idle is longer than a keep-alive interval (RFC 5626 §4.4.1 suggests 95-120 s for TCP pings, ours are shorter). */
export const DEFAULT_STREAM_GUARDS: StreamGuards = { maxConnections: 256, maxPerSource: 32, incompleteMessageMs: 10_000, idleMs: 60_000 };

/** Per accepted connection: whether it ever sent a whole message, and its timers. */
interface Held {
  socket: Socket;
  source: string;
  proven: boolean;
}

export class StreamTransport implements SipTransport {
  dropped = 0;
  private readonly connections = new Map<string, Socket>();
  private readonly pending = new Map<string, { data: Buffer; onError?: (err: Error) => void }[]>();
  /** Connections others opened to us, oldest first (Map keeps insertion order). */
  private readonly accepted = new Map<Socket, Held>();
  /** Connections refused or closed by a guard (caps, timeouts, size). */
  refused = 0;
  /** Asked before an idle accepted connection is closed: true keeps it (a call or transaction uses it). */
  inUse: ((host: string, port: number) => boolean) | undefined;
  private readonly guards: StreamGuards;
  /** Restarts an accepted connection's idle clock. */
  private readonly touch = new Map<Socket, () => void>();

  constructor(
    readonly protocol: TransportProtocol,
    private readonly server: Server | undefined,
    readonly local: { host: string; port: number },
    private readonly connector: StreamConnector,
    private readonly onMessage: InboundHandler,
    private readonly limits: ParseLimits = DEFAULT_LIMITS,
    guards: Partial<StreamGuards> = {},
  ) {
    this.guards = { ...DEFAULT_STREAM_GUARDS, ...guards };
    server?.on(connector.readyEvent === 'secureConnect' ? 'secureConnection' : 'connection', (socket: Socket) => this.admit(socket));
  }

  /** Accepted connections held now. */
  get acceptedCount(): number {
    return this.accepted.size;
  }

  /**
   * A connection someone opened to us, within the caps. At a cap the oldest connection that never
   * sent a whole message makes room (an idle flood cannot lock out a real client); when every held
   * connection has, the new one is refused.
   */
  private admit(socket: Socket): void {
    const source = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    let fromSource = 0;
    for (const h of this.accepted.values()) if (h.source === source) fromSource++;
    const overSource = fromSource >= this.guards.maxPerSource;
    if (overSource || this.accepted.size >= this.guards.maxConnections) {
      let victim: Held | undefined;
      for (const h of this.accepted.values()) {
        if (!h.proven && (!overSource || h.source === source)) {
          victim = h;
          break;
        }
      }
      this.refused++;
      if (!victim) {
        socket.destroy();
        return;
      }
      this.accepted.delete(victim.socket);
      victim.socket.destroy();
    }
    const held: Held = { socket, source, proven: false };
    this.accepted.set(socket, held);
    socket.on('close', () => this.accepted.delete(socket));
    this.adopt(socket, held);
  }

  private key(host: string, port: number): string {
    return `${host.toLowerCase()}|${port}`;
  }

  /** Takes a connected socket into the pool and reads SIP from it; `held`: one we accepted. */
  private adopt(socket: Socket, held?: Held): void {
    const host = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const port = socket.remotePort ?? 0;
    const key = this.key(host, port);
    this.connections.set(key, socket);
    const framer = new SipStreamFramer(this.limits);
    socket.setNoDelay(true);
    let closing = false;
    const closeByGuard = (): void => {
      if (closing) return;
      closing = true;
      this.refused++;
      // end() lets a response already written go out; a peer that never reads is cut off later.
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    };
    // The clock for a message runs from its first byte to its last (slowloris).
    let incomplete: NodeJS.Timeout | undefined;
    const watchIncomplete = (): void => {
      if (framer.buffered === 0) {
        clearTimeout(incomplete);
        incomplete = undefined;
      } else if (!incomplete) incomplete = setTimeout(closeByGuard, this.guards.incompleteMessageMs).unref();
    };
    let idle: NodeJS.Timeout | undefined;
    const watchIdle = (): void => {
      if (!held) return;
      clearTimeout(idle);
      idle = setTimeout(() => {
        if (this.inUse?.(host, port)) watchIdle();
        else closeByGuard();
      }, this.guards.idleMs).unref();
    };
    watchIdle();
    socket.on('data', (chunk: Buffer) => {
      if (closing) return;
      watchIdle();
      for (const out of framer.push(chunk)) {
        if (out.ok === 'ping') socket.write('\r\n'); // RFC 5626 §4.4.1 pong
        else if (out.ok === 'fatal') {
          this.dropped++;
          closeByGuard();
          break;
        } else {
          if (held) held.proven = true;
          this.onMessage(out, { protocol: this.protocol, host, port });
        }
      }
      if (!closing) watchIncomplete();
    });
    // Our own traffic on the connection keeps it alive too (send, ping).
    if (held) this.touch.set(socket, watchIdle);
    const forget = (): void => {
      clearTimeout(incomplete);
      clearTimeout(idle);
      this.touch.delete(socket);
      if (this.connections.get(key) === socket) this.connections.delete(key);
    };
    socket.on('close', forget);
    socket.on('error', forget);
  }

  send(data: Buffer, host: string, port: number, onError?: (err: Error) => void, serverName?: string): void {
    const key = this.key(host, port);
    const open = this.connections.get(key);
    if (open && !open.destroyed) {
      this.touch.get(open)?.();
      open.write(data);
      return;
    }
    const queue = this.pending.get(key);
    if (queue) {
      if (queue.reduce((n, b) => n + b.data.length, 0) < MAX_QUEUED_BYTES) queue.push({ data, onError });
      else onError?.(new Error('send queue full'));
      return;
    }
    this.pending.set(key, [{ data, onError }]);
    let socket: Socket;
    try {
      socket = this.connector.connect(host, port, serverName);
    } catch (err) {
      this.pending.delete(key);
      this.dropped++;
      onError?.(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    socket.once(this.connector.readyEvent, () => {
      this.adopt(socket);
      // The pool is keyed by what we dialled, whatever address form the socket reports.
      this.connections.set(key, socket);
      socket.on('close', () => {
        if (this.connections.get(key) === socket) this.connections.delete(key);
      });
      for (const b of this.pending.get(key) ?? []) socket.write(b.data);
      this.pending.delete(key);
    });
    socket.once('error', (raw: Error) => {
      // A failed connect (or TLS handshake) fails every queued message's transaction (§8.1.3.1).
      const err = this.connector.describeError?.(raw, serverName ?? host) ?? raw;
      const queued = this.pending.get(key) ?? [];
      this.pending.delete(key);
      this.dropped += queued.length;
      for (const q of queued) q.onError?.(err);
    });
  }

  /** RFC 5626 §3.5.1: a double-CRLF ping on the open connection to that address, if any. */
  ping(host: string, port: number): boolean {
    const open = this.connections.get(this.key(host, port));
    if (!open || open.destroyed) return false;
    this.touch.get(open)?.();
    open.write('\r\n\r\n');
    return true;
  }

  close(): Promise<void> {
    for (const s of this.connections.values()) s.destroy();
    for (const s of this.accepted.keys()) s.destroy();
    this.connections.clear();
    this.accepted.clear();
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
