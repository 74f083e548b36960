// What both server transactions (RFC 3261 §17.2.1 INVITE, §17.2.2 non-INVITE) share: their
// request, source and timers, the last response a retransmitted request gets again, and how they
// terminate.
import type { SipRequest, SipResponse } from './message';
import type { TransportAddress } from './transport';
import { TimerSet } from './transaction-context';
import type { TransactionContext } from './transaction-context';

export abstract class ServerTransactionBase<State extends string> {
  abstract state: State | 'proceeding' | 'completed' | 'terminated';
  lastResponse: SipResponse | undefined;
  protected readonly timers: TimerSet;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly source: TransportAddress,
    protected readonly ctx: TransactionContext,
  ) {
    this.timers = new TimerSet(ctx.scheduler);
  }

  /** A retransmission of the request (same branch) arrived: §17.2.1 and §17.2.2 send the last response again. */
  retransmitted(): void {
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponse) this.ctx.send(this.lastResponse, this.source);
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.timers.stopAll();
    this.ctx.terminated(this.key);
  }
}
