// Non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8): Trying -> Proceeding -> Completed
// -> Terminated. Retransmitted requests get the last response again; Timer J keeps the
// transaction around long enough to absorb them.
import type { SipResponse } from './message';
import { isReliable } from './transport';
import { ServerTransactionBase } from './transaction-server';

export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteServerTransaction extends ServerTransactionBase<NonInviteServerState> {
  state: NonInviteServerState = 'trying';

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
}
