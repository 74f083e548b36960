// Non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8): Trying -> Proceeding -> Completed
// -> Terminated. Retransmitted requests get the last response again; Timer J keeps the
// transaction around long enough to absorb them.
import type { SipRequest, SipResponse } from './message';
import { isReliable } from './transport';
import type { TransportAddress } from './transport';
import { TimerSet } from './transaction-context';
import type { TransactionContext } from './transaction-context';

export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteServerTransaction {
  state: NonInviteServerState = 'trying';
  lastResponse: SipResponse | undefined;
  private readonly timers: TimerSet;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly source: TransportAddress,
    private readonly ctx: TransactionContext,
  ) {
    this.timers = new TimerSet(ctx.scheduler);
  }

  respond(res: SipResponse): void {
    if (this.state === 'completed' || this.state === 'terminated') return;
    this.lastResponse = res;
    this.ctx.send(res, this.source);
    if (res.status < 200) {
      this.state = 'proceeding';
      return;
    }
    this.state = 'completed';
    const j = isReliable(this.source.protocol) ? 0 : 64 * this.ctx.timers.t1;
    this.timers.start('J', j, () => this.terminate());
  }

  retransmitted(): void {
    if (this.lastResponse && (this.state === 'proceeding' || this.state === 'completed')) this.ctx.send(this.lastResponse, this.source);
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.timers.stopAll();
    this.ctx.terminated(this.key);
  }
}
