// Retransmission timers (RFC 6189 §6): T1 for Hello (50 ms doubling to a 200 ms cap, 20
// retransmissions), T2 for Commit, DHPart2, Confirm2, Error, GoClear and SASrelay (150 ms doubling
// to 1200 ms, 10 retransmissions). Only the sender of a request retransmits; replies are sent
// again when the request arrives again.

export interface TimerSpec {
  readonly initial: number;
  readonly cap: number;
  readonly maxRetransmissions: number;
}

export const T1: TimerSpec = { initial: 50, cap: 200, maxRetransmissions: 20 };
export const T2: TimerSpec = { initial: 150, cap: 1200, maxRetransmissions: 10 };

export class RetransmitTimer {
  private interval = 0;
  private sent = 0;
  deadline: number | undefined;

  constructor(readonly spec: TimerSpec) {}

  start(now: number): void {
    this.interval = this.spec.initial;
    this.sent = 0;
    this.deadline = now + this.interval;
  }

  stop(): void {
    this.deadline = undefined;
  }

  /** 'resend' when due and retransmissions remain, 'expired' when they ran out, undefined otherwise. */
  poll(now: number): 'resend' | 'expired' | undefined {
    if (this.deadline === undefined || now < this.deadline) return undefined;
    if (this.sent >= this.spec.maxRetransmissions) {
      this.deadline = undefined;
      return 'expired';
    }
    this.sent++;
    this.interval = Math.min(this.interval * 2, this.spec.cap);
    this.deadline = now + this.interval;
    return 'resend';
  }
}
