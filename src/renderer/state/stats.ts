// Call statistics, reduced from `stats` events into a short per-call history that the stats panel
// draws as live charts. The history is bounded: a long call must not grow memory.
import type { CallId, CallStats } from '../../shared/api';

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
