// UDP transport (RFC 3261 §18): one socket for sending and receiving, so responses and rport
// (RFC 3581) find their way back through NATs.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { DEFAULT_LIMITS, parseMessage } from './parser';
import type { ParseLimits } from './parser';
import type { InboundHandler, SipTransport } from './transport';

export class UdpTransport implements SipTransport {
  readonly protocol = 'UDP' as const;
  dropped = 0;
  private constructor(
    private readonly socket: Socket,
    readonly local: { host: string; port: number },
  ) {}

  static async listen(host: string, port: number, onMessage: InboundHandler, limits: ParseLimits = DEFAULT_LIMITS): Promise<UdpTransport> {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const t = new UdpTransport(socket, { host, port: socket.address().port });
    socket.on('message', (data, rinfo) => {
      if (data.length < 4) {
        t.dropped++; // keep-alive CRLFs (RFC 5626 §4.4.1 uses STUN here) and runts
        return;
      }
      onMessage(parseMessage(data, limits), { protocol: 'UDP', host: rinfo.address, port: rinfo.port });
    });
    socket.on('error', () => {
      t.dropped++; // ICMP errors surface here on some systems; transactions time out instead
    });
    return t;
  }

  send(data: Buffer, host: string, port: number, onError?: (err: Error) => void): void {
    this.socket.send(data, port, host, (err) => {
      if (err) onError?.(err);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}
