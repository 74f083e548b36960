// The outgoing call (RFC 3261 §13.2, libre's sipsess/connect.c): the initial INVITE to the
// servers RFC 3263 finds, its provisional and final responses, the ACK for the 2xx (§13.2.2.4),
// and the extra 2xx of other forks or of a call hung up meanwhile (confirmed, then ended); a
// PRACK for each reliable 18x (RFC 3262, prack.ts) and the session timer the 2xx settles (RFC 4028).
import { Dialog } from '../dialog';
import { destinationFor } from '../destination';
import { SipStatusError } from '../errors';
import { cseqOf, tagOf } from '../message';
import type { SipResponse } from '../message';
import { sendBye, sendCancel } from './close';
import { noop } from './core';
import type { SessionCore } from './core';
import { prackIfReliable } from './prack';
import { MAX_SE, parseMinSe, parseSessionExpires, runSessionTimer, uacTimer } from './timer';
import { bodyOf } from './types';

/** Sends the INVITE towards `nextHop` (the outbound proxy's URI, or the Request-URI). */
export function sendInitialInvite(s: SessionCore, nextHop: string): void {
  let seq = cseqOf(s.invite).seq;
  s.ua.sendToTargets(
    s.invite,
    nextHop,
    (res) => {
      if (res.status === 422 && retryWithMinSe(s, res)) sendInitialInvite(s, nextHop);
      else onInviteResponse(s, res);
    },
    () => ++seq,
    (next, dest) => {
      if (s.state === 'terminated') return false;
      s.invite = next;
      s.dest = dest;
      // Hung up before any answer: no INVITE to the next server.
      return !s.cancelRequested;
    },
  );
}

/**
 * RFC 4028 §7.2/§7.4: a 422 names the smallest interval the server takes (Min-SE); the INVITE
 * goes again once, with that interval and a higher CSeq. False when there is nothing to retry.
 */
function retryWithMinSe(s: SessionCore, res: SipResponse): boolean {
  const min = parseMinSe(res.headers.get('min-se'));
  const asked = parseSessionExpires(s.invite.headers.get('session-expires'))?.seconds ?? 0;
  if (s.state !== 'calling' || s.cancelRequested || min === undefined || min <= asked || min > MAX_SE) return false;
  const h = s.invite.headers.clone();
  h.set('Session-Expires', String(min));
  h.set('Min-SE', String(min));
  h.set('CSeq', `${cseqOf(s.invite).seq + 1} INVITE`);
  s.invite = { ...s.invite, headers: h };
  return true;
}

function onInviteResponse(s: SessionCore, res: SipResponse): void {
  if (res.status < 200) {
    if (s.state === 'terminated') return;
    if (res.status > 100) s.provisionalSeen = true;
    // §12.1.2: a provisional response with a To tag creates an early dialog.
    if (res.status > 100 && tagOf(res, 'to')) {
      // The same early dialog keeps its CSeq count (its PRACKs); another fork gets its own.
      if (s.dialog?.remoteTag !== tagOf(res, 'to')) s.dialog = Dialog.asUac(s.invite, res, s.dest.protocol);
      if (!prackIfReliable(s, res, s.dialog)) return; // RFC 3262 §4: a repeat, or out of order
      s.setState('early');
    } else if (s.state === 'calling') s.setState('proceeding');
    if (res.status > 100) s.emit('progress', res.status, bodyOf(res));
    // §9.1: a CANCEL waits for a provisional response.
    if (s.cancelRequested && res.status > 100) sendCancel(s);
    return;
  }
  if (res.status < 300) {
    if (s.state === 'established' || s.state === 'terminated') {
      // Another fork answered, or we hung up meanwhile (§13.2.2.4): confirm and end it.
      ackAndBye(s, res);
      return;
    }
    const early = s.dialog;
    s.dialog = Dialog.asUac(s.invite, res, s.dest.protocol);
    // §12.2.1.1: CSeq keeps counting from the early dialog's PRACKs.
    if (early?.remoteTag === s.dialog.remoteTag) s.dialog.localSeq = Math.max(s.dialog.localSeq, early.localSeq);
    s.sendAck(res);
    s.remoteBody = bodyOf(res);
    s.localBody = bodyOf(s.invite);
    s.remoteAllow = res.headers.getAll('allow').join(',');
    if (s.cancelRequested) {
      sendBye(s);
      s.finish({ by: 'local', reason: 'cancelled, answered meanwhile' });
      s.rejectAnswered(new SipStatusError(487, 'Request Terminated'));
      return;
    }
    s.setState('established');
    runSessionTimer(s, uacTimer(res));
    s.resolveAnswered(s.remoteBody ?? { contentType: '', body: '' });
    s.emit('established', s.remoteBody);
    return;
  }
  s.fail(res.status, res.reason, s.cancelRequested ? 'local' : 'remote');
}

/** A 2xx for a dialog we do not keep: ACK it, then BYE it (§13.2.2.4). */
function ackAndBye(s: SessionCore, res: SipResponse): void {
  const d = Dialog.asUac(s.invite, res, s.dest.protocol);
  const ack = d.createRequest('ACK', cseqOf(res).seq);
  const dest = destinationFor(d.nextHop, d.transport) ?? s.dest;
  s.ua.addVia(ack, dest.protocol, dest.host);
  s.ua.sendStateless(ack, dest);
  const bye = d.createRequest('BYE');
  s.ua.addVia(bye, dest.protocol, dest.host);
  s.ua.sendWithAuth(bye, dest, noop, () => ++d.localSeq);
}

/** A 2xx retransmission after the INVITE transaction ended: the ACK was lost (§13.2.2.4). */
export function stray2xx(s: SessionCore, res: SipResponse): void {
  if (s.lastAck && cseqOf(res).seq === s.lastAck.seq && s.dialog && tagOf(res, 'to') === s.dialog.remoteTag) {
    s.ua.sendStateless(s.lastAck.ack, s.lastAck.dest);
  } else if (cseqOf(res).method === 'INVITE') ackAndBye(s, res);
}
