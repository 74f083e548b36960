// TCP and TLS transports (RFC 3261 §18, §26.2): a listening server plus a pool of connections
// keyed by remote address, reused in both directions (§18.2.2: responses go back over the
// connection the request came on). Messages are framed by Content-Length.
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

export class StreamTransport implements SipTransport {
  dropped = 0;
  private readonly connections = new Map<string, Socket>();
  private readonly pending = new Map<string, { data: Buffer; onError?: (err: Error) => void }[]>();

  constructor(
    readonly protocol: TransportProtocol,
    private readonly server: Server | undefined,
    readonly local: { host: string; port: number },
    private readonly connector: StreamConnector,
    private readonly onMessage: InboundHandler,
    private readonly limits: ParseLimits = DEFAULT_LIMITS,
  ) {
    server?.on(connector.readyEvent === 'secureConnect' ? 'secureConnection' : 'connection', (socket: Socket) => this.adopt(socket));
  }

  private key(host: string, port: number): string {
    return `${host.toLowerCase()}|${port}`;
  }

  /** Takes a connected socket into the pool and reads SIP from it. */
  private adopt(socket: Socket): void {
    const host = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const port = socket.remotePort ?? 0;
    const key = this.key(host, port);
    this.connections.set(key, socket);
    const framer = new SipStreamFramer(this.limits);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const out of framer.push(chunk)) {
        if (out.ok === 'ping') socket.write('\r\n'); // RFC 5626 §4.4.1 pong
        else if (out.ok === 'fatal') {
          this.dropped++;
          socket.destroy();
        } else this.onMessage(out, { protocol: this.protocol, host, port });
      }
    });
    const forget = (): void => {
      if (this.connections.get(key) === socket) this.connections.delete(key);
    };
    socket.on('close', forget);
    socket.on('error', forget);
  }

  send(data: Buffer, host: string, port: number, onError?: (err: Error) => void, serverName?: string): void {
    const key = this.key(host, port);
    const open = this.connections.get(key);
    if (open && !open.destroyed) {
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
    open.write('\r\n\r\n');
    return true;
  }

  close(): Promise<void> {
    for (const s of this.connections.values()) s.destroy();
    this.connections.clear();
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
