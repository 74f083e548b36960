// Session timers (RFC 4028): the interval and refresher a 2xx settles (§7.2, §9), refreshes at
// half the interval when we are the refresher (§10), and BYE when no refresh came before the
// session expired (§10: 32 s or a third of the interval before it ends, whichever is less).
// Every timer runs on the UA's scheduler, so the tests drive it with a ManualScheduler.
import type { SipRequest, SipResponse } from '../message';
import type { TimerHandle } from '../timers';
import type { SessionCore } from './core';

/** §4: Min-SE may not be below 90 s; ours is that floor. */
export const MIN_SE = 90;
/** §4: the recommended interval, the one our INVITEs ask for. */
export const DEFAULT_SE = 1800;
/** A 422 asking for more than a day is not followed (the call fails with it instead). */
export const MAX_SE = 86400;

export interface SessionExpires {
  seconds: number;
  refresher?: 'uac' | 'uas';
}

/** The timer one dialog runs: its interval, who refreshes, and the two scheduled steps. */
export interface SessionTimerState {
  seconds: number;
  weRefresh: boolean;
  handles: TimerHandle[];
}

/**
 * §4: Session-Expires = delta-seconds *(SEMI se-params), se-params = refresher-param /
 * generic-param. Undefined when absent or not that grammar (never throws).
 */
export function parseSessionExpires(value: string | undefined): SessionExpires | undefined {
  if (value === undefined) return undefined;
  const [first, ...params] = value.split(';');
  const seconds = parseDelta(first);
  if (seconds === undefined || seconds === 0) return undefined;
  let refresher: 'uac' | 'uas' | undefined;
  for (const p of params) {
    const [name, v] = p.split('=').map((x) => x.trim().toLowerCase());
    if (name === '') return undefined;
    if (name === 'refresher') {
      if (v !== 'uac' && v !== 'uas') return undefined;
      refresher = v;
    }
  }
  return { seconds, refresher };
}

/** §5: Min-SE = delta-seconds *(SEMI generic-param). */
export function parseMinSe(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseDelta(value.split(';')[0]);
}

function parseDelta(text: string): number | undefined {
  const t = text.trim();
  // delta-seconds is 1*DIGIT; more than nine digits is not an interval any phone means.
  if (!/^\d{1,9}$/.test(t)) return undefined;
  return Number(t);
}

function optionTags(msg: SipRequest | SipResponse, header: 'supported' | 'require'): string[] {
  return msg.headers.getAll(header).flatMap((v) => v.split(',').map((t) => t.trim().toLowerCase()));
}

export function supports(msg: SipRequest | SipResponse, tag: string): boolean {
  return optionTags(msg, 'supported').includes(tag) || optionTags(msg, 'require').includes(tag);
}

/** §8.1/§9: a request whose Session-Expires is below our Min-SE gets 422 with that Min-SE. */
export function sessionIntervalTooSmall(req: SipRequest): boolean {
  const se = parseSessionExpires(req.headers.get('session-expires'));
  return se !== undefined && se.seconds < MIN_SE;
}

/**
 * §9: what the UAS's 2xx to an INVITE or UPDATE says about the timer. The interval is the
 * request's; the refresher the request's, else the UAC when it supports timers, else us. The
 * UAC learns the outcome from Session-Expires, and must act on it (Require: timer) if it can.
 */
export function uasTimer(req: SipRequest): { headers: [string, string][]; timer?: { seconds: number; weRefresh: boolean } } {
  const se = parseSessionExpires(req.headers.get('session-expires'));
  if (!se) return { headers: [] };
  const uacSupports = supports(req, 'timer');
  const refresher = uacSupports ? (se.refresher ?? 'uac') : 'uas';
  const headers: [string, string][] = [['Session-Expires', `${se.seconds};refresher=${refresher}`]];
  if (uacSupports) headers.push(['Require', 'timer']);
  return { headers, timer: { seconds: se.seconds, weRefresh: refresher === 'uas' } };
}

/** §7.2: the UAC's view of a 2xx to its INVITE, re-INVITE or UPDATE; none means no timer. */
export function uacTimer(res: SipResponse): { seconds: number; weRefresh: boolean } | undefined {
  const se = parseSessionExpires(res.headers.get('session-expires'));
  if (!se) return undefined;
  return { seconds: se.seconds, weRefresh: se.refresher !== 'uas' };
}

/** §7.1/§7.4: the headers of our INVITEs and refreshes, with the interval now in force. */
export function requestTimerHeaders(s: SessionCore): [string, string][] {
  const t = s.sessionTimer;
  return [
    ['Session-Expires', t ? `${t.seconds};refresher=uac` : String(DEFAULT_SE)],
    ['Min-SE', String(MIN_SE)],
  ];
}

/**
 * (Re)starts the dialog's timer after a 2xx settled it, or stops it when `timer` is undefined.
 * When we are the refresher, `s.refresh` (refresh.ts: UPDATE or re-INVITE) runs at half time.
 */
export function runSessionTimer(s: SessionCore, timer: { seconds: number; weRefresh: boolean } | undefined): void {
  stopSessionTimer(s);
  if (!timer || s.state === 'terminated') return;
  const ms = timer.seconds * 1000;
  const handles: TimerHandle[] = [];
  if (timer.weRefresh) handles.push(s.ua.scheduler.set(ms / 2, () => s.refresh()));
  // §10: the side that did not hear a refresh sends BYE shortly before the session expires.
  const expiry = ms - Math.min(32000, ms / 3);
  handles.push(
    s.ua.scheduler.set(expiry, () => {
      s.sessionTimer = undefined;
      s.expire();
    }),
  );
  s.sessionTimer = { ...timer, handles };
}

export function stopSessionTimer(s: SessionCore): void {
  for (const h of s.sessionTimer?.handles ?? []) s.ua.scheduler.clear(h);
  s.sessionTimer = undefined;
}
