// A re-INVITE from the far end (RFC 3261 §14.2, libre's sipsess/reinvite.c): glare is answered
// 491, an overlapping one 500 with Retry-After; the call layer's hook decides on the offer and
// the 200 repeats until its ACK (§13.3.1.4) as the initial one does.
import { cseqOf } from '../message';
import type { SipRequest } from '../message';
import { createResponse } from '../response';
import type { InviteServerTransaction } from '../transaction-server-invite';
import type { SessionCore } from './core';
import { MIN_SE, runSessionTimer, sessionIntervalTooSmall, uasTimer } from './timer';
import { ALLOW, SUPPORTED } from './types';
import type { ReinviteDecision, SipBody } from './types';

export type ReinviteHook = ((offer: SipBody) => ReinviteDecision | Promise<ReinviteDecision>) | undefined;

/**
 * The headers of our 200 to a re-INVITE or UPDATE: Contact, as the request refreshed the target
 * (RFC 3261 §12.2.2, RFC 3311 §5.2), Allow and Supported, the session timer's (RFC 4028 §9),
 * User-Agent, and the answer's Content-Type when there is one.
 */
export function refreshOkHeaders(s: SessionCore, timerHeaders: [string, string][], answer?: SipBody): [string, string][] {
  const headers: [string, string][] = [['Contact', s.ua.contactFor(s.dest.protocol, s.dest.host)], ['Allow', ALLOW], ['Supported', SUPPORTED], ...timerHeaders, ['User-Agent', s.ua.userAgent]];
  if (answer) headers.push(['Content-Type', answer.contentType]);
  return headers;
}

/** The call layer's decision on a re-INVITE's or UPDATE's offer: 488 with no hook, 500 when the hook throws or its promise rejects. */
export function decideOffer(hook: ReinviteHook, offer: SipBody): ReinviteDecision | Promise<ReinviteDecision> {
  try {
    const decision = hook ? hook(offer) : { reject: 488, reason: 'Not Acceptable Here' };
    return decision instanceof Promise ? decision.catch((): ReinviteDecision => ({ reject: 500 })) : decision;
  } catch {
    return { reject: 500 };
  }
}

export function receiveReinvite(s: SessionCore, req: SipRequest, tx: InviteServerTransaction, hook: ReinviteHook): void {
  if (s.state !== 'established') {
    tx.respond(createResponse(req, 491, { toTag: s.localTag }));
    return;
  }
  if (s.outgoingReinvite) {
    // §14.2: glare, our own re-INVITE is in progress.
    tx.respond(createResponse(req, 491, { toTag: s.localTag }));
    return;
  }
  if (s.incomingReinvite) {
    tx.respond(createResponse(req, 500, { toTag: s.localTag, headers: [['Retry-After', String(Math.floor(Math.random() * 10))]] }));
    return;
  }
  // RFC 4028 §8.1: a refresh asking for less than our Min-SE.
  if (sessionIntervalTooSmall(req)) {
    tx.respond(createResponse(req, 422, { toTag: s.localTag, headers: [['Min-SE', String(MIN_SE)]] }));
    return;
  }
  s.incomingReinvite = true;
  const offer: SipBody = { contentType: req.headers.get('content-type') ?? '', body: req.body };
  const respond = (decision: ReinviteDecision): void => {
    s.incomingReinvite = false;
    if (s.state !== 'established') return;
    if ('reject' in decision) {
      const res = createResponse(req, decision.reject, { toTag: s.localTag, headers: [['User-Agent', s.ua.userAgent]] });
      if (decision.reason) res.reason = decision.reason;
      tx.respond(res);
      s.emit('reinviteRejected', offer, decision.reject);
      return;
    }
    s.dialog?.refreshTarget(req);
    // RFC 4028 §9: the 2xx settles the timer anew (a re-INVITE is a refresh).
    const timer = uasTimer(req);
    const ok = createResponse(req, 200, { toTag: s.localTag, headers: refreshOkHeaders(s, timer.headers, decision.answer), body: decision.answer.body });
    tx.respond(ok);
    s.start2xxRetransmission(ok, cseqOf(req).seq);
    s.localBody = decision.answer;
    runSessionTimer(s, timer.timer);
    s.emit('reinvited', offer, decision.answer);
  };
  const decision = decideOffer(hook, offer);
  if (decision instanceof Promise) {
    tx.respond(createResponse(req, 100));
    void decision.then(respond);
  } else respond(decision);
}
