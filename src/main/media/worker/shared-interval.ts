// Periodic work of a call's streams on as few wake-ups as possible (issue 23): every callback
// with the same period runs on one shared interval, so the audio pacer's 20 ms tick also carries
// the video stream's NACK/PLI upkeep, and the streams' RTCP reports share one wake-up per second.
// Node gives each setInterval its own expiry even when the periods match (two 20 ms intervals
// started at different times wake the thread twice per 20 ms).
//
// The clock the ticks are read on is the instance's (`now`, ../clock's monotonicMs in the
// worker), and its timers are the global setInterval/clearInterval, looked up when used: a test
// gives it a clock of its own and drives the ticks with vitest's fake timers, so what a tick
// does at a given time is asserted exactly, however fast the machine runs.

import { monotonicMs } from './clock';

interface Ticker {
  readonly timer: ReturnType<typeof setInterval>;
  /** Replaced, never changed in place, so a tick runs the list it started with. */
  callbacks: (() => void)[];
  /** now() of the last tick (or of the interval's start). */
  lastTickMs: number;
}

export class SharedIntervals {
  private readonly tickers = new Map<number, Ticker>();

  /** `now`: whole milliseconds on a monotonic clock, the time pacers joining a tick count from. */
  constructor(readonly now: () => number = monotonicMs) {}

  /**
   * Runs `fn` every `periodMs` (a whole number of ms) on the interval shared by that period, until
   * the returned function is called. Callbacks run in the order they were added.
   */
  everyMs(periodMs: number, fn: () => void): () => void {
    let t = this.tickers.get(periodMs);
    if (!t) {
      const ticker: Ticker = {
        callbacks: [],
        lastTickMs: this.now(),
        timer: setInterval(() => {
          ticker.lastTickMs = this.now();
          const list = ticker.callbacks;
          for (let i = 0; i < list.length; i++) list[i]();
        }, periodMs),
      };
      t = ticker;
      this.tickers.set(periodMs, t);
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
        this.tickers.delete(periodMs);
      }
    };
  }

  /**
   * When the shared interval of `periodMs` ticked last (now()), or undefined when none runs:
   * a pacer joining it counts its frames from there, so its frames fall due on the ticks.
   */
  lastTickMs(periodMs: number): number | undefined {
    return this.tickers.get(periodMs)?.lastTickMs;
  }
}

/** The worker's shared intervals, on its monotonic clock. */
export const sharedIntervals = new SharedIntervals();

/** sharedIntervals.everyMs. */
export function everyMs(periodMs: number, fn: () => void): () => void {
  return sharedIntervals.everyMs(periodMs, fn);
}

/** sharedIntervals.lastTickMs. */
export function lastTickMs(periodMs: number): number | undefined {
  return sharedIntervals.lastTickMs(periodMs);
}
