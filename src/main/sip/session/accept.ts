// The incoming call (RFC 3261 §13.3, libre's sipsess/accept.c): 180/183 with the early dialog
// (§12.1.1), reliably when the caller supports it (RFC 3262, prack.ts), the 200 that answers
// (repeated until the ACK, §13.3.1.4) with the session timer it settles (RFC 4028), or a refusal.
import { Dialog } from '../dialog';
import { cseqOf } from '../message';
import type { SessionCore } from './core';
import { sendReliable, stopReliable, wantsReliable } from './prack';
import { runSessionTimer, uasTimer } from './timer';
import type { SipBody } from './types';

/** Sends 180 Ringing or 183 Session Progress (with early media) for an incoming call. */
export function progress(s: SessionCore, status: 180 | 183, body?: SipBody): void {
  if (s.direction !== 'incoming' || s.state !== 'incoming' || !s.inviteTx) return;
  s.dialog ??= Dialog.asUas(s.invite, s.localTag, s.dest.protocol);
  const res = s.uasResponse(status, body);
  if (body) s.localBody = body;
  // RFC 3262 §3: unacknowledged after 64*T1, the INVITE is refused with a 5xx.
  if (wantsReliable(s.invite)) sendReliable(s, res, () => reject(s, 500, 'Reliable Provisional Response Not Acknowledged'));
  else s.inviteTx.respond(res);
}

/** Answers an incoming call with 200 OK carrying the SDP answer. */
export function accept(s: SessionCore, answer: SipBody): void {
  if (s.direction !== 'incoming' || s.state !== 'incoming' || !s.inviteTx) throw new Error(`cannot accept in state ${s.state}`);
  // RFC 3262 §3: no 2xx while a reliable 18x with a session description awaits its PRACK.
  if (s.reliable1xx?.res.body) {
    s.onPracked = () => accept(s, answer);
    return;
  }
  s.dialog ??= Dialog.asUas(s.invite, s.localTag, s.dest.protocol);
  const ok = s.uasResponse(200, answer);
  const timer = uasTimer(s.invite);
  for (const [n, v] of timer.headers) ok.headers.add(n, v);
  // RFC 3262 §3: the final response may go before the PRACK; the 18x stops repeating.
  stopReliable(s);
  s.queued1xx = [];
  s.inviteTx.respond(ok);
  s.inviteTx = undefined;
  s.start2xxRetransmission(ok, cseqOf(s.invite).seq);
  s.localBody = answer;
  s.remoteAllow = s.invite.headers.getAll('allow').join(',');
  s.setState('established');
  runSessionTimer(s, timer.timer);
  s.emit('established', answer);
}

/** Refuses an incoming call (486 Busy Here, 603 Decline, 488 Not Acceptable Here...). */
export function reject(s: SessionCore, status: number, reason?: string, headers: readonly [string, string][] = []): void {
  if (s.direction !== 'incoming' || s.state !== 'incoming' || !s.inviteTx) return;
  const res = s.uasResponse(status);
  if (reason) res.reason = reason;
  for (const [n, v] of headers) res.headers.add(n, v);
  s.inviteTx.respond(res);
  s.inviteTx = undefined;
  s.finish({ by: 'local', status, reason: res.reason });
}
