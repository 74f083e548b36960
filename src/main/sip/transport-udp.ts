// UDP transport (RFC 3261 §18): one socket for sending and receiving, so responses and rport
// (RFC 3581) find their way back through NATs.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { DEFAULT_LIMITS, parseMessage } from './parser';
import type { ParseLimits } from './parser';
import type { InboundHandler, SipTransport } from './transport';
import { unmapped } from '../net/local-address';
import { bindEveryInterface, forDualStack } from '../net/wildcard';

function bindUdp(host: string, port: number): Promise<Socket> {
  const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
  return new Promise<Socket>((resolve, reject) => {
    socket.once('error', (e) => {
      socket.close();
      reject(e);
    });
    socket.bind(port, host, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

export class UdpTransport implements SipTransport {
  readonly protocol = 'UDP' as const;
  dropped = 0;
  private constructor(
    private readonly socket: Socket,
    readonly local: { host: string; port: number },
  ) {}

  /** `host` undefined: every interface, IPv6 and IPv4 (wildcard.ts). */
  static async listen(host: string | undefined, port: number, onMessage: InboundHandler, limits: ParseLimits = DEFAULT_LIMITS): Promise<UdpTransport> {
    const socket = host ? await bindUdp(host, port) : await bindEveryInterface((h) => bindUdp(h, port));
    const t = new UdpTransport(socket, { host: socket.address().address, port: socket.address().port });
    socket.on('message', (data, rinfo) => {
      if (data.length < 4) {
        t.dropped++; // keep-alive CRLFs (RFC 5626 §4.4.1 uses STUN here) and runts
        return;
      }
      // RFC 3581 §4: the source, as IPv4 when it came in IPv4-mapped on the dual-stack socket.
      onMessage(parseMessage(data, limits), { protocol: 'UDP', host: unmapped(rinfo.address), port: rinfo.port });
    });
    socket.on('error', () => {
      t.dropped++; // ICMP errors surface here on some systems; transactions time out instead
    });
    return t;
  }

  send(data: Buffer, host: string, port: number, onError?: (err: Error) => void): void {
    this.socket.send(data, port, forDualStack(this.local.host, host), (err) => {
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
