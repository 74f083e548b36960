// Transaction timers (RFC 3261 §17, Table 4). T1/T2/T4 and Timer D are settings so tests can run
// the same state machines with millisecond values; the rest derive from them as the table says.
export interface SipTimers {
  /** RTT estimate (default 500 ms). */
  t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses (default 4 s). */
  t2: number;
  /** Maximum time a message stays in the network (default 5 s). */
  t4: number;
  /** Wait time for response retransmits over unreliable transports (≥ 32 s). */
  timerD: number;
}

export const DEFAULT_TIMERS: SipTimers = { t1: 500, t2: 4000, t4: 5000, timerD: 32000 };

export type TimerHandle = { readonly id: number } | ReturnType<typeof setTimeout>;

/** Clock injected into transactions, so tests can step time instead of sleeping. */
export interface Scheduler {
  set(ms: number, fn: () => void): TimerHandle;
  clear(handle: TimerHandle): void;
}

export const realScheduler: Scheduler = {
  set: (ms, fn) => {
    const h = setTimeout(fn, ms);
    h.unref?.();
    return h;
  },
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** A scheduler driven by hand: `advance(ms)` fires due timers in order. For tests and replays. */
export class ManualScheduler implements Scheduler {
  now = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  set(ms: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.now + ms, fn });
    return { id };
  }

  clear(handle: TimerHandle): void {
    if (typeof handle === 'object' && 'id' in handle) this.timers.delete(handle.id);
  }

  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= until && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[0] < next[0]))) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = until;
  }
}
