// Keeps an account registered (RFC 3261 §10.2) without holding anything else up: the user agent
// takes direct calls while this runs. What the user sees, at once and in words: "registering",
// "no answer from HOST" while the registrar stays silent (the REGISTER is being retransmitted),
// and after a failed attempt the time until the next one. A registrar that is down now must not
// leave us unreachable once it is back, so failed attempts are retried, 5 s after the first
// failure and twice as long after each next one, up to 5 min. A new REGISTER is only sent once the
// previous one has a final response or timed out (§10.2).

import type { RegistrationInfo } from '../../shared/api';
import { SipStatusError, type SipUa } from '../sip';
import { CommandError } from './errors';

/** Retransmissions of a REGISTER nobody answers, in T1 units, before we say so (4 s by default). */
const NO_ANSWER_T1 = 8;
const FIRST_RETRY_S = 5;
const MAX_RETRY_S = 300;

/** Why SIP failed, for a person: a TLS certificate problem is its own sentence (transport-tls.ts). */
export function failureText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return /\((The server's certificate.*)\)$/.exec(text)?.[1] ?? text;
}

export class RegistrationKeeper {
  /** Settles with the first attempt: the `register` command reports it. */
  readonly first: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: Error) => void };
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly ua: SipUa,
    private readonly address: string,
    /** The registrar as the user typed it (host[:port]), named in "no answer from …". */
    private readonly server: string,
    private readonly report: (r: RegistrationInfo) => void,
    /** False once the user agent was replaced or closed. */
    private readonly current: () => boolean,
  ) {
    this.first = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    // Callers that do not wait for the first attempt hear of it through `report`.
    this.first.catch(() => undefined);
    this.attempt();
  }

  private live(): boolean {
    return !this.stopped && this.current();
  }

  private attempt(): void {
    if (!this.live()) return;
    if (this.failures > 0) this.report({ state: 'registering', address: this.address });
    const t2 = this.ua.timers.t2;
    this.setTimer(NO_ANSWER_T1 * this.ua.timers.t1, () =>
      // The transaction goes on resending (at most T2 apart, §17.1.2.2) until Timer F.
      this.report({ state: 'registering', address: this.address, reason: `no answer from ${this.server}`, retryInSeconds: Math.ceil(t2 / 1000) }),
    );
    this.ua.register().then(
      (expires) => {
        if (!this.live()) return;
        this.clearTimer();
        this.failures = 0;
        this.report({ state: 'registered', address: this.address, expiresAt: Date.now() + expires * 1000 });
        this.settle.resolve();
      },
      (e: unknown) => {
        if (!this.live()) return;
        this.clearTimer();
        const retry = Math.min(MAX_RETRY_S, FIRST_RETRY_S * 2 ** this.failures++);
        // 408 is our own Timer F (or a proxy's): nobody answered at all.
        const noAnswer = /\b408\b/.test(failureText(e));
        const reason = noAnswer ? `no answer from ${this.server}` : failureText(e);
        this.report({ state: 'failed', address: this.address, reason, sipStatus: e instanceof SipStatusError ? e.status : undefined, retryInSeconds: retry });
        this.settle.reject(new CommandError({ code: 'network', message: `registration failed: ${reason}` }));
        this.setTimer(retry * 1000, () => this.attempt());
      },
    );
  }

  private setTimer(ms: number, run: () => void): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.live()) run();
    }, ms);
    // A retry never keeps the process alive on its own (the CLI exits when its calls are done).
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }
}
