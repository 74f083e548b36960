// TLS transport (RFC 3261 §26.2.1, sips: URIs): the server certificate is always verified,
// against Node's root store plus a CA the user chooses to trust (a private Kamailio's), and the
// name dialled is checked against it (RFC 5922 §7). A failed check reads as a sentence a person
// can act on.
import { connect, createServer, rootCertificates } from 'node:tls';
import { DEFAULT_LIMITS } from './parser';
import type { ParseLimits } from './parser';
import type { InboundHandler } from './transport';
import { DEFAULT_STREAM_GUARDS, StreamTransport } from './transport-stream';
import type { StreamGuards } from './transport-stream';
import { listenStream } from './transport-tcp';

export interface TlsSettings {
  /** PEM CA certificates to trust instead of the system store. */
  ca?: string | string[];
  /** PEM CA certificate(s) the user trusts in addition to Node's root store (Settings, --trust-ca). */
  extraCa?: string;
  /** Our certificate and key (PEM): needed to accept incoming TLS connections. */
  cert?: string;
  key?: string;
  /** Name checked against the server certificate when dialling by IP address. */
  servername?: string;
}

export async function listenTls(host: string | undefined, port: number, settings: TlsSettings, onMessage: InboundHandler, limits: ParseLimits = DEFAULT_LIMITS, guards: Partial<StreamGuards> = {}): Promise<StreamTransport> {
  // A connection that never finishes its handshake is an incomplete message too (slowloris).
  const handshakeTimeout = guards.incompleteMessageMs ?? DEFAULT_STREAM_GUARDS.incompleteMessageMs;
  const server = settings.cert && settings.key ? createServer({ cert: settings.cert, key: settings.key, handshakeTimeout }) : undefined;
  // Node reports a failed or timed-out handshake here and leaves the socket open: close it.
  server?.on('tlsClientError', (_err: Error, socket: { destroy(): void }) => socket.destroy());
  // The caps of transport-stream.ts see a connection once its handshake is done; before that a
  // hard ceiling on sockets holds (handshakes under way plus those accepted), twice the cap.
  if (server) server.maxConnections = 2 * (guards.maxConnections ?? DEFAULT_STREAM_GUARDS.maxConnections);
  // Without a certificate there is no listener (port 0): outgoing TLS works all the same.
  const local = server ? await listenStream(server, host, port) : { host: host ?? '::', port: 0 };
  return new StreamTransport(
    'TLS',
    server,
    local,
    {
      connect: (h, p, name) =>
        connect({
          host: h,
          port: p,
          // Node's `ca` replaces the default roots: keep them and add the user's.
          ca: settings.ca ?? (settings.extraCa ? [...rootCertificates, settings.extraCa] : undefined),
          // The certificate must name the server the user gave (RFC 5922 §4), also when DNS turned it into an address.
          servername: settings.servername ?? name ?? (/^[\d.]+$|:/.test(h) ? undefined : h),
          rejectUnauthorized: true,
        }),
      readyEvent: 'secureConnect',
      describeError: describeTlsError,
    },
    onMessage,
    limits,
    guards,
  );
}

const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);
const UNKNOWN_ISSUER = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT']);

/** Names in a peer's certificate are peer input: printable and short. */
function shown(text: string, max: number): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/**
 * A certificate failure in words a person can act on (at most 100 characters: it travels in the
 * reason phrase of the local 503, §8.1.3.1); other errors pass unchanged.
 */
export function describeTlsError(err: Error, host: string): Error {
  const e = err as Error & { code?: string; cert?: { subjectaltname?: string; subject?: { CN?: string } } };
  const code = e.code ?? '';
  let text: string | undefined;
  if (SELF_SIGNED.has(code)) text = "The server's certificate is not trusted (self-signed). Trust it in Settings or with --trust-ca FILE";
  else if (UNKNOWN_ISSUER.has(code)) text = "The server's certificate is not trusted (unknown CA). Trust it in Settings or with --trust-ca FILE";
  else if (code === 'CERT_HAS_EXPIRED') text = "The server's certificate has expired";
  else if (code === 'CERT_NOT_YET_VALID') text = "The server's certificate is not valid yet (check this computer's clock)";
  else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = (e.cert?.subjectaltname ?? e.cert?.subject?.CN ?? '').replace(/\b(DNS|IP Address|IP):/g, '');
    text = `The server's certificate is for ${shown(names || 'another name', 30)}, not ${shown(host, 30)}`;
  }
  if (!text) return err;
  const readable = new Error(text);
  readable.cause = err;
  return readable;
}
