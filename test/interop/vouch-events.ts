// Picks for VouchPeer.until: each maps an api.ts event to a value when it is the one awaited.
import type { ApiEvent, CallInfo, CallStats, SecurityInfo, StreamStats } from '../../src/shared/api';

export const securityWhere =
  (pred: (s: SecurityInfo) => boolean) =>
  (e: ApiEvent): SecurityInfo | undefined =>
    e.type === 'security' && pred(e.security) ? e.security : undefined;

export const callWhere =
  (pred: (c: CallInfo) => boolean) =>
  (e: ApiEvent): CallInfo | undefined =>
    e.type === 'callState' && pred(e.call) ? e.call : undefined;

/** Stats whose `stream` entry passes `pred`. */
export const streamStats =
  (stream: 'audio' | 'video', pred: (s: StreamStats) => boolean) =>
  (e: ApiEvent): CallStats | undefined =>
    e.type === 'stats' && e.stats.streams.some((s) => s.stream === stream && pred(s)) ? e.stats : undefined;

/** The `stream` entry of a stats event once it has received at least `packets` packets. */
export const statsWhere = (stream: 'audio' | 'video', packets: number) => (e: ApiEvent) =>
  e.type === 'stats' ? e.stats.streams.find((s): s is StreamStats => s.stream === stream && s.packetsReceived >= packets) : undefined;

/** One event in a timeout message. */
export function describeEvent(e: ApiEvent): string {
  if (e.type === 'security') {
    // A failure says why (the warnings carry the ZRTP Error, the policy refusal, the cache mismatch).
    const why = e.security.state === 'failed' && e.security.warnings.length ? ` (${e.security.warnings.map((w) => `${w.kind}: ${w.message}`).join('; ')})` : '';
    return `security:${e.security.mode}/${e.security.state}${why}`;
  }
  if (e.type === 'callState') return `call:${e.call.state}/${e.call.video.local}${e.call.endReason ? `/${e.call.endReason}` : ''}`;
  if (e.type === 'error') return `error:${e.message}`;
  return e.type;
}
