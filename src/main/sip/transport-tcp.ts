// TCP transport (RFC 3261 §18).
import { connect, createServer } from 'node:net';
import type { Server } from 'node:net';
import { DEFAULT_LIMITS } from './parser';
import type { ParseLimits } from './parser';
import type { InboundHandler } from './transport';
import { StreamTransport } from './transport-stream';
import type { StreamGuards } from './transport-stream';
import { bindEveryInterface } from '../net/wildcard';

/** Listens on `host:port`; `host` undefined: every interface, IPv6 and IPv4 (wildcard.ts). */
export function listenStream(server: Server, host: string | undefined, port: number): Promise<{ host: string; port: number }> {
  const listen = (h: string) =>
    new Promise<{ host: string; port: number }>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: h, ipv6Only: false }, () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address ? { host: address.address, port: address.port } : { host: h, port });
      });
    });
  return host ? listen(host) : bindEveryInterface(listen);
}

export async function listenTcp(host: string | undefined, port: number, onMessage: InboundHandler, limits: ParseLimits = DEFAULT_LIMITS, guards: Partial<StreamGuards> = {}): Promise<StreamTransport> {
  const server = createServer();
  const local = await listenStream(server, host, port);
  return new StreamTransport(
    'TCP',
    server,
    local,
    // A pinned address is also the source of our connections; otherwise the route picks it.
    { connect: (h, p) => connect({ host: h, port: p, localAddress: host }), readyEvent: 'connect' },
    onMessage,
    limits,
    guards,
  );
}
