// Ending a call (RFC 3261 §9, §15; libre's sipsess/close.c): CANCEL before an answer, 603 for an
// unanswered incoming call, BYE once there is a dialog, and the same from the far end.
import { SipHeaders } from '../headers';
import { cseqOf } from '../message';
import type { SipRequest } from '../message';
import { createResponse } from '../response';
import type { InviteServerTransaction } from '../transaction-server-invite';
import type { NonInviteServerTransaction } from '../transaction-server-non-invite';
import { reject } from './accept';
import { noop } from './core';
import type { SessionCore } from './core';

/**
 * Ends the call whatever its state: CANCEL before an answer (§9.1), decline an unanswered
 * incoming call (603), BYE once established (§15.1).
 */
export function bye(s: SessionCore): void {
  if (s.state === 'terminated') return;
  if (s.direction === 'outgoing' && s.state !== 'established') {
    s.cancelRequested = true;
    // §9.1: no CANCEL before a provisional response; it goes when one comes (connect.ts).
    if (s.provisionalSeen) sendCancel(s);
    return;
  }
  if (s.direction === 'incoming' && s.state === 'incoming') {
    reject(s, 603);
    return;
  }
  sendBye(s);
  s.finish({ by: 'local', reason: 'BYE' });
}

/** §15.1.1: a BYE within the dialog, challenged as any request from us may be. */
export function sendBye(s: SessionCore): void {
  const d = s.dialog;
  if (!d) return;
  s.ua.byeSent(d.id);
  const req = d.createRequest('BYE');
  req.headers.add('User-Agent', s.ua.userAgent);
  s.sendWithinDialog(d, req, noop);
}

export function sendCancel(s: SessionCore): void {
  // §9.1: same Request-URI, Call-ID, To, From, CSeq number and the single top Via of the INVITE.
  const h = new SipHeaders();
  h.add('Via', s.invite.headers.getAll('via')[0] ?? '');
  for (const r of s.invite.headers.getAll('route')) h.add('Route', r);
  h.add('Max-Forwards', '70');
  for (const n of ['from', 'to', 'call-id']) h.add(n, s.invite.headers.get(n) ?? '');
  h.add('CSeq', `${cseqOf(s.invite).seq} CANCEL`);
  h.add('User-Agent', s.ua.userAgent);
  s.ua.layer.sendRequest({ type: 'request', method: 'CANCEL', uri: s.invite.uri, headers: h, body: '' }, s.dest, noop);
}

/** The caller sent CANCEL for the INVITE this transaction carries (§9.2). */
export function cancelled(s: SessionCore, tx: InviteServerTransaction): void {
  if (tx === s.inviteTx && s.state === 'incoming') {
    tx.respond(s.uasResponse(487));
    s.inviteTx = undefined;
    s.finish({ by: 'remote', status: 487, reason: 'cancelled by caller' });
  } else if (tx.state === 'proceeding') tx.respond(createResponse(tx.request, 487, { toTag: s.localTag }));
}

/** §15.1.2: the far end's BYE ends the session; an INVITE still unanswered gets 487. */
export function receiveBye(s: SessionCore, req: SipRequest, tx: InviteServerTransaction | NonInviteServerTransaction): void {
  tx.respond(createResponse(req, 200));
  if (s.inviteTx) {
    s.inviteTx.respond(s.uasResponse(487));
    s.inviteTx = undefined;
  }
  s.finish({ by: 'remote', reason: 'BYE' });
}
