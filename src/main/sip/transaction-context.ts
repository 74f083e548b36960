// What a transaction needs from the layer that owns it: timers, a clock and a way to send.
import type { SipMessage, SipResponse } from './message';
import type { Scheduler, SipTimers, TimerHandle } from './timers';
import type { TransportAddress } from './transport';

export interface TransactionContext {
  readonly timers: SipTimers;
  readonly scheduler: Scheduler;
  send(msg: SipMessage, dest: TransportAddress, onError?: (err: Error) => void): void;
  /** The transaction reached Terminated and leaves the layer's table. */
  terminated(key: string): void;
}

export type ResponseHandler = (res: SipResponse) => void;

/** A named set of timers a transaction cancels all at once when it terminates. */
export class TimerSet {
  private readonly handles = new Map<string, TimerHandle>();
  constructor(private readonly scheduler: Scheduler) {}

  start(name: string, ms: number, fn: () => void): void {
    this.stop(name);
    this.handles.set(
      name,
      this.scheduler.set(ms, () => {
        this.handles.delete(name);
        try {
          fn();
        } catch (err) {
          // A bug behind a timer must not take the main process down with it.
          console.error('SIP timer handler failed', err);
        }
      }),
    );
  }

  stop(name: string): void {
    const h = this.handles.get(name);
    if (h !== undefined) this.scheduler.clear(h);
    this.handles.delete(name);
  }

  stopAll(): void {
    for (const h of this.handles.values()) this.scheduler.clear(h);
    this.handles.clear();
  }
}
