// When a TURN client request is (re)sent and when it is given up (RFC 8489 §6.2.1, §6.2.2). Over
// UDP the interval starts at RTO and doubles after each send; after Rc sends the client waits
// Rm × RTO. Over TCP nothing is resent (the stream is reliable) and the transaction fails after Ti.

export interface RetransmitOptions {
  /** Initial retransmission timeout; RFC 8489 §6.2.1 recommends 500 ms. */
  readonly rtoMs?: number;
  /** Requests sent in all over UDP (Rc, default 7). */
  readonly rc?: number;
  /** Wait after the last request, as a multiple of the RTO (Rm, default 16). */
  readonly rm?: number;
  /** Transaction timeout over TCP (Ti, default 39.5 s, §6.2.2). */
  readonly tcpTimeoutMs?: number;
}

export type RetransmitStep = 'send' | 'wait' | 'give-up';

export class RetransmitSchedule {
  private sent = 0;
  /** When the next send or the give-up is due (caller's clock, ms). */
  nextAt: number;
  private readonly rto: number;
  private readonly rc: number;
  private readonly rm: number;
  private readonly tcpTimeout: number;

  constructor(
    private readonly transport: 'udp' | 'tcp',
    options: RetransmitOptions,
    now: number,
  ) {
    this.rto = options.rtoMs ?? 500;
    this.rc = options.rc ?? 7;
    this.rm = options.rm ?? 16;
    this.tcpTimeout = options.tcpTimeoutMs ?? 39_500;
    this.nextAt = now;
  }

  /** What to do at `now`; after 'send' the caller transmits and nextAt has moved on. */
  step(now: number): RetransmitStep {
    if (now < this.nextAt) return 'wait';
    const limit = this.transport === 'tcp' ? 1 : this.rc;
    if (this.sent >= limit) return 'give-up';
    const interval = this.transport === 'tcp' ? this.tcpTimeout : this.sent < this.rc - 1 ? this.rto * 2 ** this.sent : this.rto * this.rm;
    this.sent++;
    this.nextAt = now + interval;
    return 'send';
  }
}
