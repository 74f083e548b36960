// When the history was last looked at, kept in localStorage so the missed-call count in the
// navigation survives a reload. Absent storage (tests, a locked-down shell): 0, every missed call counts.
const KEY = 'vouch.historySeenAt';

export function readHistorySeenAt(): number {
  try {
    const v = Number(globalThis.localStorage?.getItem(KEY));
    return Number.isFinite(v) && v > 0 ? v : 0;
  } catch {
    return 0;
  }
}

export function writeHistorySeenAt(at: number): number {
  try {
    globalThis.localStorage?.setItem(KEY, String(at));
  } catch {
    // No storage: the count resets on reload.
  }
  return at;
}
