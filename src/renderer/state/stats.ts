// Call statistics, reduced from `stats` events into a short per-call history that the stats panel
// draws as live charts. The history is bounded: a long call must not grow memory.
import type { CallId, CallStats, StreamKind } from '../../shared/api';

export const STATS_HISTORY_LENGTH = 60;

export type StatsState = Record<CallId, CallStats[]>;

export function reduceStats(state: StatsState, stats: CallStats, limit = STATS_HISTORY_LENGTH): StatsState {
  const previous = state[stats.callId] ?? [];
  const last = previous[previous.length - 1];
  if (last && stats.at < last.at) return state;
  const history = previous.length >= limit ? previous.slice(previous.length - limit + 1) : previous.slice();
  history.push(stats);
  return { ...state, [stats.callId]: history };
}

export function forgetCallStats(state: StatsState, callId: CallId): StatsState {
  if (!(callId in state)) return state;
  const next = { ...state };
  delete next[callId];
  return next;
}

/**
 * Whether a stream's packets are arriving: the newest sample received bits, or more packets than
 * the one before. A stream that is negotiated but silent (keys not agreed, camera not started)
 * is not "on" for the user.
 */
export function streamFlowing(history: readonly CallStats[], stream: StreamKind): boolean {
  const samples = history.map((h) => h.streams.find((s) => s.stream === stream)).filter((s) => s !== undefined);
  const last = samples[samples.length - 1];
  if (!last) return false;
  const before = samples[samples.length - 2];
  return last.recvBitrate > 0 || (before !== undefined && last.packetsReceived > before.packetsReceived);
}

/**
 * A call's history as it stood when the call ended: samples stamped after the end are the media
 * worker's last tick over a partial interval (a post-hangup spike, e.g. send 0 / receive 160
 * kbit/s after a 73/69 kbit/s call), not the call's.
 */
export function statsUntil(history: readonly CallStats[], endedAt: number | undefined): CallStats[] {
  return endedAt === undefined ? history.slice() : history.filter((h) => h.at <= endedAt);
}
