// The incoming call (RFC 3261 §13.3, libre's sipsess/accept.c): 180/183 with the early dialog
// (§12.1.1), the 200 that answers (repeated until the ACK, §13.3.1.4), or a refusal.
import { Dialog } from '../dialog';
import { cseqOf } from '../message';
import type { SessionCore } from './core';
import type { SipBody } from './types';

/** Sends 180 Ringing or 183 Session Progress (with early media) for an incoming call. */
export function progress(s: SessionCore, status: 180 | 183, body?: SipBody): void {
  if (s.direction !== 'incoming' || s.state !== 'incoming' || !s.inviteTx) return;
  s.dialog ??= Dialog.asUas(s.invite, s.localTag, s.dest.protocol);
  s.inviteTx.respond(s.uasResponse(status, body));
}

/** Answers an incoming call with 200 OK carrying the SDP answer. */
export function accept(s: SessionCore, answer: SipBody): void {
  if (s.direction !== 'incoming' || s.state !== 'incoming' || !s.inviteTx) throw new Error(`cannot accept in state ${s.state}`);
  s.dialog ??= Dialog.asUas(s.invite, s.localTag, s.dest.protocol);
  const ok = s.uasResponse(200, answer);
  s.inviteTx.respond(ok);
  s.inviteTx = undefined;
  s.start2xxRetransmission(ok, cseqOf(s.invite).seq);
  s.setState('established');
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
