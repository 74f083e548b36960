// TLS transport (RFC 3261 §26.2.1, sips: URIs): the server certificate is always verified,
// against the system store or a CA the user chooses to trust (a private Kamailio's).
import { connect, createServer } from 'node:tls';
import { DEFAULT_LIMITS } from './parser';
import type { ParseLimits } from './parser';
import type { InboundHandler } from './transport';
import { StreamTransport } from './transport-stream';

export interface TlsSettings {
  /** PEM CA certificates to trust instead of the system store. */
  ca?: string | string[];
  /** Our certificate and key (PEM): needed to accept incoming TLS connections. */
  cert?: string;
  key?: string;
  /** Name checked against the server certificate when dialling by IP address. */
  servername?: string;
}

export async function listenTls(host: string, port: number, settings: TlsSettings, onMessage: InboundHandler, limits: ParseLimits = DEFAULT_LIMITS): Promise<StreamTransport> {
  const server = settings.cert && settings.key ? createServer({ cert: settings.cert, key: settings.key }) : undefined;
  let boundPort = 0;
  if (server) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    boundPort = typeof address === 'object' && address ? address.port : port;
  }
  return new StreamTransport(
    'TLS',
    server,
    { host, port: boundPort },
    {
      connect: (h, p) =>
        connect({
          host: h,
          port: p,
          ca: settings.ca,
          servername: settings.servername ?? (/^[\d.]+$|:/.test(h) ? undefined : h),
          rejectUnauthorized: true,
        }),
      readyEvent: 'secureConnect',
    },
    onMessage,
    limits,
  );
}
