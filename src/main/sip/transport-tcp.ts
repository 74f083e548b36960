// TCP transport (RFC 3261 §18).
import { connect, createServer } from 'node:net';
import { DEFAULT_LIMITS } from './parser';
import type { ParseLimits } from './parser';
import type { InboundHandler } from './transport';
import { StreamTransport } from './transport-stream';

export async function listenTcp(host: string, port: number, onMessage: InboundHandler, limits: ParseLimits = DEFAULT_LIMITS): Promise<StreamTransport> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return new StreamTransport(
    'TCP',
    server,
    { host, port: boundPort },
    { connect: (h, p) => connect({ host: h, port: p, localAddress: host }), readyEvent: 'connect' },
    onMessage,
    limits,
  );
}
