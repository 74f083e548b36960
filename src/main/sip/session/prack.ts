// Reliable provisional responses (RFC 3262): as UAS, 180/183 with RSeq and Require: 100rel,
// repeated until their PRACK (§3); as UAC, a PRACK for each new reliable 18x in order (§4).
import type { Dialog } from '../dialog';
import { cseqOf } from '../message';
import type { SipRequest, SipResponse } from '../message';
import { createResponse } from '../response';
import type { NonInviteServerTransaction } from '../transaction-server-non-invite';
import { noop } from './core';
import type { SessionCore } from './core';
import { supports } from './timer';

/** §3: the UAS may send 18x reliably when the INVITE names 100rel in Supported or Require. */
export function wantsReliable(invite: SipRequest): boolean {
  return supports(invite, '100rel');
}

/** §7.1: RSeq = 1*DIGIT (1 to 2**32-1); RAck = response-num cseq-num method. */
export function parseRseq(value: string | undefined): number | undefined {
  const t = value?.trim();
  if (!t || !/^\d{1,10}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n < 2 ** 32 ? n : undefined;
}

export function parseRack(value: string | undefined): { rseq: number; cseq: number; method: string } | undefined {
  const parts = value?.trim().split(/\s+/);
  if (parts?.length !== 3) return undefined;
  const rseq = parseRseq(parts[0]);
  const cseq = /^\d{1,10}$/.test(parts[1]) ? Number(parts[1]) : undefined;
  if (rseq === undefined || cseq === undefined || !/^[A-Za-z0-9.!%*_+`'~-]+$/.test(parts[2])) return undefined;
  return { rseq, cseq, method: parts[2] };
}

/**
 * §3: sends `res` (an 18x to the INVITE) reliably; one at a time, so a second waits for the
 * PRACK of the first. The first goes at once, repeats at T1, 2T1, 4T1... (no T2 cap), and
 * after 64*T1 without a PRACK the INVITE is refused with a 5xx.
 */
export function sendReliable(s: SessionCore, res: SipResponse, onGiveUp: () => void): void {
  if (s.reliable1xx) {
    s.queued1xx.push(res);
    return;
  }
  const rseq = ++s.lastRseq;
  res.headers.add('Require', '100rel');
  res.headers.add('RSeq', String(rseq));
  const { t1 } = s.ua.timers;
  let interval = t1;
  const tick = (): void => {
    s.inviteTx?.respond(res);
    interval *= 2;
    if (s.reliable1xx) s.reliable1xx.handle = s.ua.scheduler.set(interval, tick);
  };
  s.inviteTx?.respond(res);
  s.reliable1xx = { rseq, res, handle: s.ua.scheduler.set(interval, tick), giveUp: s.ua.scheduler.set(64 * t1, onGiveUp) };
}

/** Stops repeating the unacknowledged 18x (its PRACK came, or the final response goes). */
export function stopReliable(s: SessionCore): void {
  if (s.reliable1xx) {
    s.ua.scheduler.clear(s.reliable1xx.handle);
    s.ua.scheduler.clear(s.reliable1xx.giveUp);
  }
  s.reliable1xx = undefined;
}

/**
 * §3: a PRACK whose RAck names the 18x awaiting one gets 200 and stops its repetition; the next
 * queued 18x then goes. A PRACK naming nothing we sent gets 481.
 */
export function receivePrack(s: SessionCore, req: SipRequest, tx: NonInviteServerTransaction, onGiveUp: () => void): void {
  const rack = parseRack(req.headers.get('rack'));
  const pending = s.reliable1xx;
  const inviteSeq = cseqOf(s.invite).seq;
  const matches = rack !== undefined && rack.cseq === inviteSeq && rack.method === 'INVITE';
  if (!matches || (pending ? rack.rseq !== pending.rseq : rack.rseq !== s.lastRseq)) {
    tx.respond(createResponse(req, 481, { reason: 'No Matching Reliable Provisional Response' }));
    return;
  }
  tx.respond(createResponse(req, 200, { headers: [['User-Agent', s.ua.userAgent]] }));
  if (!pending) return; // a PRACK repeated after its 18x was acknowledged
  stopReliable(s);
  s.emit('prack', rack.rseq);
  const held = s.onPracked;
  s.onPracked = undefined;
  if (held) return held();
  const next = s.queued1xx.shift();
  if (next && s.inviteTx) sendReliable(s, next, onGiveUp);
}

/**
 * §4 (UAC): a reliable 18x (Require: 100rel with RSeq) in `d`'s early dialog. Returns false for
 * a repeat or an out-of-order one, which are dropped; otherwise PRACKs it and returns true.
 */
export function prackIfReliable(s: SessionCore, res: SipResponse, d: Dialog | undefined): boolean {
  const reliable = (res.headers.getAll('require').join(',').toLowerCase().split(',').map((t) => t.trim())).includes('100rel');
  const rseq = parseRseq(res.headers.get('rseq'));
  if (!reliable || rseq === undefined || !d) return true;
  const last = s.prackedRseq.get(d.remoteTag);
  if (last !== undefined && rseq !== last + 1) return false;
  s.prackedRseq.set(d.remoteTag, rseq);
  const prack = d.createRequest('PRACK');
  prack.headers.add('RAck', `${rseq} ${cseqOf(res).seq} INVITE`);
  prack.headers.add('User-Agent', s.ua.userAgent);
  s.sendWithinDialog(d, prack, noop);
  return true;
}
