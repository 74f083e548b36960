// Digest challenges to our requests (RFC 3261 §22.2, §22.3; RFC 2617 §3.2.2): a 401/407 is
// answered with credentials only when the challenger is the account's own server
// (own-server.ts), at most three times per request, with the nonce count kept per nonce.
import { authorize, pickChallenge } from '../digest';
import type { SipRequest, SipResponse } from '../message';
import type { OwnServer } from '../own-server';
import { createResponse } from '../response';
import type { ClientTransaction, TransactionLayer } from '../transactions';
import type { TransportAddress, TransportProtocol } from '../transport';

export interface ChallengeContext {
  readonly layer: TransactionLayer;
  readonly ownServer: OwnServer;
  hasTransport(protocol: TransportProtocol): boolean;
  addVia(req: SipRequest, protocol: TransportProtocol, peer?: string): void;
  /** The digest user and password; undefined when the account has none, or the UA is closed. */
  credentials(): { user: string; password: string } | undefined;
  /** A challenger that is not our server: the reason goes to the user, the password nowhere. */
  refused(reason: string): void;
}

export class DigestAnswerer {
  private readonly nonceCounts = new Map<string, number>();

  constructor(private readonly ctx: ChallengeContext) {}

  /** Sends `req` in a client transaction, answering the challenges it meets. */
  send(req: SipRequest, dest: TransportAddress, onResponse: (res: SipResponse) => void, nextSeq: () => number, onResend?: (req: SipRequest) => void): ClientTransaction | undefined {
    const ctx = this.ctx;
    if (!ctx.hasTransport(dest.protocol)) {
      onResponse(createResponse(req, 503, { reason: `No ${dest.protocol} transport` }));
      return undefined;
    }
    const tried = new Set<string>();
    let answeredRealm: string | undefined;
    const send = (r: SipRequest): ClientTransaction =>
      ctx.layer.sendRequest(r, dest, (res) => {
        const credentials = res.status === 401 || res.status === 407 ? ctx.credentials() : undefined;
        if (credentials) {
          const proxy = res.status === 407;
          const challenge = pickChallenge(res.headers.getAll(proxy ? 'proxy-authenticate' : 'www-authenticate'));
          const refusal = challenge && ctx.ownServer.refusal(dest, challenge.realm);
          if (refusal) {
            // The request fails with the reason in person's words; the password stays here.
            ctx.refused(refusal);
            onResponse({ ...res, reason: refusal });
            return;
          }
          // §22.3: a new nonce, or a stale one, is worth an answer; the same one twice is not.
          if (challenge && (!tried.has(challenge.nonce) || challenge.stale) && tried.size < 3) {
            tried.add(challenge.nonce);
            answeredRealm = challenge.realm;
            const nc = (this.nonceCounts.get(challenge.nonce) ?? 0) + 1;
            this.nonceCounts.set(challenge.nonce, nc);
            // §8.1.3.5: the retry is a new transaction (new branch) with a higher CSeq.
            const next: SipRequest = { ...r, headers: r.headers.clone() };
            next.headers.delete('via');
            ctx.addVia(next, dest.protocol, dest.host);
            next.headers.set('CSeq', `${nextSeq()} ${r.method}`);
            const header = proxy ? 'Proxy-Authorization' : 'Authorization';
            next.headers.set(header, authorize(challenge, credentials.user, credentials.password, r.method, r.uri, nc));
            onResend?.(next);
            send(next);
            return;
          }
        }
        if (r.method === 'REGISTER' && res.status >= 200 && res.status < 300 && answeredRealm !== undefined) ctx.ownServer.learn(answeredRealm);
        onResponse(res);
      });
    return send(req);
  }
}
