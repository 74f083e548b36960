// Consent freshness (RFC 7675) for one selected pair: when to send the next Binding request and
// when consent has expired. Time and randomness come from the caller.

export interface ConsentOptions {
  /** RFC 7675 §5.1: a request every 5 s on average ... */
  readonly intervalMs?: number;
  /** ... randomized to 0.8–1.2 times the interval ... */
  readonly jitter?: number;
  /** ... and consent expires 30 s after the last authenticated response. */
  readonly timeoutMs?: number;
}

export class ConsentFreshness {
  private lastGrantedAt: number;
  private nextSendAt: number;
  private readonly intervalMs: number;
  private readonly jitter: number;
  private readonly timeoutMs: number;

  /** `now`: when the pair was selected — its successful check counts as the first consent. */
  constructor(
    now: number,
    private readonly random: () => number,
    options: ConsentOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 5000;
    this.jitter = options.jitter ?? 0.2;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.lastGrantedAt = now;
    this.nextSendAt = this.schedule(now);
  }

  private schedule(now: number): number {
    return now + this.intervalMs * (1 - this.jitter + 2 * this.jitter * this.random());
  }

  /** True when a request is due now (and schedules the next one). */
  due(now: number): boolean {
    if (now < this.nextSendAt) return false;
    this.nextSendAt = this.schedule(now);
    return true;
  }

  /** An authenticated, symmetric success response to a consent (or ordinary) check arrived. */
  granted(now: number): void {
    this.lastGrantedAt = Math.max(this.lastGrantedAt, now);
  }

  expired(now: number): boolean {
    return now - this.lastGrantedAt >= this.timeoutMs;
  }

  /** Whether consent granted at `grantedAt` would have expired by `now` (same timeout). */
  expiredSince(grantedAt: number, now: number): boolean {
    return now - grantedAt >= this.timeoutMs;
  }

  get expiresAt(): number {
    return this.lastGrantedAt + this.timeoutMs;
  }

  nextTimeout(): number {
    return Math.min(this.nextSendAt, this.expiresAt);
  }
}
