// UPDATE (RFC 3311) in an early or confirmed dialog: without a body it is answered 200 at once
// (a session-timer refresh, RFC 4028 §9); an offer goes to the call layer's re-INVITE hook and
// its answer returns in the 200 (§5.2). Also the UPDATE we send to refresh the session timer.
import { SipStatusError } from '../errors';
import type { SipRequest, SipResponse } from '../message';
import { createResponse } from '../response';
import type { NonInviteServerTransaction } from '../transaction-server-non-invite';
import type { SessionCore } from './core';
import { decideOffer, refreshOkHeaders } from './reinvite';
import type { ReinviteHook } from './reinvite';
import { MIN_SE, requestTimerHeaders, sessionIntervalTooSmall, uasTimer } from './timer';
import { bodyOf, SUPPORTED } from './types';
import type { ReinviteDecision, SipBody } from './types';

/**
 * §5.2: an UPDATE's offer while we await an answer to ours gets 491; while the call layer still
 * decides on the peer's offer, or before the early dialog's first offer/answer is done, 500 with
 * Retry-After. `onTimer` gets the RFC 4028 result of the 2xx.
 */
export function receiveUpdate(s: SessionCore, req: SipRequest, tx: NonInviteServerTransaction, hook: ReinviteHook, onTimer: (t: ReturnType<typeof uasTimer>['timer']) => void): void {
  const offer = bodyOf(req);
  const refuse = (status: number, headers: [string, string][] = []): void => tx.respond(createResponse(req, status, { headers: [...headers, ['User-Agent', s.ua.userAgent]] }));
  // RFC 4028 §8.1: a refresh asking for less than our Min-SE.
  if (sessionIntervalTooSmall(req)) return refuse(422, [['Min-SE', String(MIN_SE)]]);
  if (offer) {
    if (s.outgoingReinvite) return refuse(491);
    if (s.incomingReinvite || s.state !== 'established') return refuse(500, [['Retry-After', String(1 + Math.floor(Math.random() * 9))]]);
  }
  const timer = uasTimer(req);
  const ok = (answer?: SipBody): void => {
    s.dialog?.refreshTarget(req);
    tx.respond(createResponse(req, 200, { headers: refreshOkHeaders(s, timer.headers, answer), body: answer?.body ?? '' }));
    if (s.state === 'established') onTimer(timer.timer);
  };
  if (!offer) return ok();
  s.incomingReinvite = true;
  const respond = (decision: ReinviteDecision): void => {
    s.incomingReinvite = false;
    if (s.state !== 'established') return;
    if ('reject' in decision) {
      const res = createResponse(req, decision.reject, { headers: [['User-Agent', s.ua.userAgent]] });
      if (decision.reason) res.reason = decision.reason;
      tx.respond(res);
      s.emit('reinviteRejected', offer, decision.reject);
      return;
    }
    s.localBody = decision.answer;
    ok(decision.answer);
    s.emit('reinvited', offer, decision.answer);
  };
  const decision = decideOffer(hook, offer);
  if (decision instanceof Promise) void decision.then(respond);
  else respond(decision);
}

/** RFC 4028 §7.4 (with RFC 3311): a refresh without a body; resolves with the 2xx. */
export function sendUpdate(s: SessionCore): Promise<SipResponse> {
  return new Promise((resolve, reject) => {
    const d = s.dialog;
    if (!d || s.state !== 'established') return reject(new Error(`cannot UPDATE in state ${s.state}`));
    const req = d.createRequest('UPDATE');
    req.headers.add('Contact', s.ua.contactFor(s.dest.protocol, s.dest.host));
    req.headers.add('Supported', SUPPORTED);
    for (const [n, v] of requestTimerHeaders(s)) req.headers.add(n, v);
    req.headers.add('User-Agent', s.ua.userAgent);
    const tx = s.sendWithinDialog(d, req, (res) => {
      if (res.status < 200) return;
      if (res.status < 300) {
        d.refreshTarget(res);
        resolve(res);
      } else reject(new SipStatusError(res.status, res.reason));
    });
    if (!tx) reject(new SipStatusError(503, 'No transport for the destination'));
  });
}
