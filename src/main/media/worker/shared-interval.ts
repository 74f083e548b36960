// Periodic work of a call's streams on as few wake-ups as possible (issue 23): every callback
// with the same period runs on one shared interval, so the audio pacer's 20 ms tick also carries
// the video stream's NACK/PLI upkeep, and the streams' RTCP reports share one wake-up per second.
// Node gives each setInterval its own expiry even when the periods match (two 20 ms intervals
// started at different times wake the thread twice per 20 ms).

import { monotonicMs } from './clock';

interface Ticker {
  readonly timer: ReturnType<typeof setInterval>;
  /** Replaced, never changed in place, so a tick runs the list it started with. */
  callbacks: (() => void)[];
  /** monotonicMs() of the last tick (or of the interval's start). */
  lastTickMs: number;
}

const tickers = new Map<number, Ticker>();

/**
 * Runs `fn` every `periodMs` (a whole number of ms) on the interval shared by that period, until
 * the returned function is called. Callbacks run in the order they were added.
 */
export function everyMs(periodMs: number, fn: () => void): () => void {
  let t = tickers.get(periodMs);
  if (!t) {
    const ticker: Ticker = {
      callbacks: [],
      lastTickMs: monotonicMs(),
      timer: setInterval(() => {
        ticker.lastTickMs = monotonicMs();
        const list = ticker.callbacks;
        for (let i = 0; i < list.length; i++) list[i]();
      }, periodMs),
    };
    t = ticker;
    tickers.set(periodMs, t);
  }
  const ticker = t;
  ticker.callbacks = [...ticker.callbacks, fn];
  let cleared = false;
  return () => {
    if (cleared) return;
    cleared = true;
    ticker.callbacks = ticker.callbacks.filter((cb) => cb !== fn);
    if (ticker.callbacks.length === 0) {
      clearInterval(ticker.timer);
      tickers.delete(periodMs);
    }
  };
}

/**
 * When the shared interval of `periodMs` ticked last (monotonicMs), or undefined when none runs:
 * a pacer joining it counts its frames from there, so its frames fall due on the ticks.
 */
export function lastTickMs(periodMs: number): number | undefined {
  return tickers.get(periodMs)?.lastTickMs;
}
