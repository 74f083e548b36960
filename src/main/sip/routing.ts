// Where out-of-dialog requests go: through the outbound proxy as a pre-loaded loose route
// (RFC 3261 §8.1.2, §16.12.1.1), to the servers RFC 3263 finds for the next hop, trying the
// next one after a timeout or a 503 with a new branch (RFC 3263 §4.3).
import { SipParseError } from './errors';
import type { SipRequest, SipResponse } from './message';
import { createResponse } from './response';
import { localResponses } from './transaction-client';
import type { ClientTransaction } from './transactions';
import type { TransportAddress, TransportProtocol } from './transport';
import { parseUri, serializeUri } from './uri';

export interface RoutingContext {
  resolve(uri: string): Promise<TransportAddress[] | SipParseError>;
  contactFor(protocol: TransportProtocol, peer?: string): string;
  addVia(req: SipRequest, protocol: TransportProtocol, peer?: string): void;
  sendWithAuth(req: SipRequest, dest: TransportAddress, onResponse: (res: SipResponse) => void, nextSeq: () => number, onResend?: (req: SipRequest) => void): ClientTransaction | undefined;
}

/** RFC 3263 §4.3: a timeout (no answer at all) or a 503 sends the request to the next server. */
export function isFailover(res: SipResponse): boolean {
  return res.status === 503 || (res.status === 408 && localResponses.has(res));
}

export function sendToTargets(
  ctx: RoutingContext,
  req: SipRequest,
  nextHop: string,
  onResponse: (res: SipResponse) => void,
  nextSeq: () => number,
  onAttempt?: (req: SipRequest, dest: TransportAddress) => boolean,
): void {
  void ctx.resolve(nextHop).then(
    (targets) => {
      if (targets instanceof SipParseError || targets.length === 0) {
        const why = targets instanceof SipParseError ? targets.message : `no address found for ${hostOf(nextHop)}`;
        onResponse(createResponse(req, 503, { reason: `Service Unavailable (${why.replace(/[^\x20-\x7e]/g, '?').slice(0, 100)})` }));
        return;
      }
      let i = 0;
      const attempt = (base: SipRequest, last: SipResponse | undefined): void => {
        const dest = targets[i];
        // A new transaction per server: fresh branch, Via and Contact for its transport (§4.3).
        const r: SipRequest = { ...base, headers: base.headers.clone() };
        r.headers.delete('via');
        // Credentials answered one server's challenge; the next one challenges anew (own-server.ts).
        r.headers.delete('authorization');
        r.headers.delete('proxy-authorization');
        ctx.addVia(r, dest.protocol, dest.host);
        if (r.headers.has('contact')) r.headers.set('Contact', ctx.contactFor(dest.protocol, dest.host));
        if (onAttempt && !onAttempt(r, dest)) {
          onResponse(last ?? createResponse(req, 487, { reason: 'Request Terminated' }));
          return;
        }
        let current = r;
        ctx.sendWithAuth(
          r,
          dest,
          (res) => {
            if (isFailover(res) && i + 1 < targets.length) {
              i++;
              attempt(current, res);
              return;
            }
            onResponse(res);
          },
          nextSeq,
          (resent) => {
            current = resent;
            onAttempt?.(resent, dest);
          },
        );
      };
      attempt(req, undefined);
    },
    (err: unknown) => onResponse(createResponse(req, 503, { reason: `Service Unavailable (${String(err).slice(0, 100)})` })),
  );
}

/** sendToTargets' arguments after the context: what a UA that is the context takes (UaContext.sendToTargets). */
export type TargetsArgs = Parameters<typeof sendToTargets> extends [RoutingContext, ...infer Rest] ? Rest : never;

function hostOf(uri: string): string {
  const u = parseUri(uri);
  return (u instanceof SipParseError ? uri : u.host).replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
}

/** The Route header value that sends a request through `proxy` as a loose router (§8.1.2). */
export function routeHeader(proxy: string): string {
  return `<${proxy}${/;lr(;|=|$)/i.test(proxy) ? '' : ';lr'}>`;
}

const MAX_PROXY = 300;

/**
 * The outbound proxy as the user writes it (settings `account.outboundProxy`, CLI --proxy):
 * `host`, `host:port`, `[v6]:port`, with `;transport=udp|tcp|tls`, or a sip:/sips: URI.
 * Returns the URI to route through, or an error saying what is wrong.
 */
export function parseProxy(text: string): string | SipParseError {
  const t = text.trim();
  if (t === '' || t.length > MAX_PROXY) return new SipParseError('bad-uri', 'the proxy must be host[:port][;transport=udp|tcp|tls]');
  const uri = parseUri(/^sips?:/i.test(t) ? t : `sip:${t}`);
  if (uri instanceof SipParseError) return uri;
  if (uri.scheme === 'tel' || uri.user !== undefined || uri.headers.size > 0) return new SipParseError('bad-uri', 'the proxy must be host[:port][;transport=udp|tcp|tls]');
  const tp = uri.params.get('transport');
  if (tp !== undefined && (tp === null || !['udp', 'tcp', 'tls'].includes(tp.toLowerCase()))) return new SipParseError('bad-uri', `unknown proxy transport "${(tp ?? '').slice(0, 20)}"`);
  uri.params.set('lr', null);
  return serializeUri(uri);
}

/** Two URIs naming the same server: scheme, host, port and transport alike (parameters like lr aside). */
export function sameServer(a: string, b: string): boolean {
  const x = parseUri(a);
  const y = parseUri(b);
  if (x instanceof SipParseError || y instanceof SipParseError) return false;
  const tp = (u: typeof x): string => (u.params.get('transport') ?? 'udp').toLowerCase();
  return x.scheme === y.scheme && x.host.toLowerCase() === y.host.toLowerCase() && x.port === y.port && tp(x) === tp(y);
}
