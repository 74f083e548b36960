// A contact's security, told from what Vouch already keeps: the call history (each call's key
// agreement, cipher, SAS, peer ZID and whether the key changed) and, when main has it, the ZRTP
// cache's identity for the address (RFC 6189 §4.9: the peer ZID and its SAS-verified flag).
// Pure: the same answer in main (the contacts list) and the renderer (the timeline).
import type { ContactSecurity, HistoryEntry } from './api';

/** The comparable part of a SIP address: no angle brackets, parameters or headers; case-folded. */
export function addressKey(uri: string): string {
  let s = uri.trim();
  const lt = s.indexOf('<');
  if (lt >= 0) s = s.slice(lt + 1, s.indexOf('>', lt) > lt ? s.indexOf('>', lt) : undefined);
  s = s.split(/[;?]/)[0];
  return s.toLowerCase();
}

export type TimelineEvent =
  | { kind: 'first-call'; at: number; direction: HistoryEntry['direction'] }
  | { kind: 'call'; at: number; entryId: string; missed: boolean; video: boolean; mode: string; keyAgreement: string; cipher: string }
  | { kind: 'verified'; at: number; sas: string }
  | { kind: 'key-changed'; at: number; reason: 'new-identity' | 'cache-mismatch' }
  | { kind: 'sas-mismatch'; at: number; sas: string };

/** The calls with this address, oldest first. */
export function callsWith(address: string, history: readonly HistoryEntry[]): HistoryEntry[] {
  const key = addressKey(address);
  return history.filter((e) => addressKey(e.remoteUri) === key).sort((a, b) => a.startedAt - b.startedAt);
}

/** First call, each call's key agreement and cipher, each verification, each key change, oldest first. */
export function contactTimeline(address: string, history: readonly HistoryEntry[]): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  let lastZid = '';
  let wasVerified = false;
  for (const e of callsWith(address, history)) {
    if (out.length === 0) out.push({ kind: 'first-call', at: e.startedAt, direction: e.direction });
    const sec = e.security;
    out.push({ kind: 'call', at: e.startedAt, entryId: e.id, missed: e.missed, video: e.video, mode: sec?.mode ?? 'none', keyAgreement: sec?.keyAgreement ?? '', cipher: sec?.cipher ?? '' });
    const zid = sec?.peerZid ?? '';
    const newIdentity = zid !== '' && lastZid !== '' && zid !== lastZid;
    if (newIdentity || sec?.keyChanged) {
      out.push({ kind: 'key-changed', at: e.startedAt, reason: newIdentity ? 'new-identity' : 'cache-mismatch' });
      wasVerified = false;
    }
    if (zid) lastZid = zid;
    if (e.endReason === 'sas-mismatch') {
      out.push({ kind: 'sas-mismatch', at: e.startedAt, sas: sec?.sas ?? '' });
      wasVerified = false;
    } else if (e.verified && !wasVerified) {
      out.push({ kind: 'verified', at: e.startedAt, sas: sec?.sas ?? '' });
    }
    if (e.endReason !== 'sas-mismatch') wasVerified = wasVerified || e.verified;
  }
  return out;
}

/** What the ZRTP cache says of the address now: the ZID last seen and whether its SAS was confirmed. */
export interface CachedIdentity {
  zid: string;
  verified: boolean;
}

/**
 * One glance: never called, not verified, verified (when, which code), or key changed since
 * verified. The cache has the last word on "verified" (a confirmed SAS is stored there, §4.9);
 * the history says when and which code, and whether the key changed after.
 */
export function contactSecurity(address: string, history: readonly HistoryEntry[], identity?: CachedIdentity): ContactSecurity {
  const timeline = contactTimeline(address, history);
  if (timeline.length === 0 && !identity) return { level: 'never-called' };
  const lastVerified = findLast(timeline, (t) => t.kind === 'verified') as Extract<TimelineEvent, { kind: 'verified' }> | undefined;
  const lastChange = findLast(timeline, (t) => t.kind === 'key-changed' || t.kind === 'sas-mismatch');
  const when = lastVerified ? { verifiedAt: lastVerified.at, verifiedSas: lastVerified.sas } : {};
  if (identity?.verified) return { level: 'verified', ...when };
  const changedAfter = lastChange !== undefined && timeline.indexOf(lastChange) > (lastVerified ? timeline.indexOf(lastVerified) : -1);
  if (changedAfter && lastChange) return { level: 'key-changed', ...when, changedAt: lastChange.at };
  // Verified once, and the cache now holds another identity that is not: the key changed.
  if (lastVerified && identity && !identity.verified) return { level: 'key-changed', ...when, changedAt: lastCallAt(timeline) };
  if (lastVerified && !identity) return { level: 'verified', ...when };
  return { level: 'not-verified' };
}

function lastCallAt(timeline: TimelineEvent[]): number {
  return findLast(timeline, (t) => t.kind === 'call')?.at ?? 0;
}

function findLast<T>(list: readonly T[], pred: (t: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (pred(list[i])) return list[i];
  return undefined;
}
