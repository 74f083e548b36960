// Non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6): Trying -> Proceeding -> Completed
// -> Terminated. Timer E retransmits (doubling up to T2, then T2 once a provisional came),
// Timer F gives up (a local 408), Timer K absorbs retransmitted finals.
import type { SipResponse } from './message';
import { isReliable } from './transport';
import { ClientTransactionBase, localResponse } from './transaction-client';

export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteClientTransaction extends ClientTransactionBase<NonInviteClientState> {
  state: NonInviteClientState = 'trying';

  start(): void {
    const { t1, t2 } = this.ctx.timers;
    this.ctx.send(this.request, this.dest, (err) => this.transportError(err));
    if (!isReliable(this.dest.protocol)) {
      let interval = t1;
      const retransmit = (): void => {
        this.ctx.send(this.request, this.dest);
        interval = this.state === 'proceeding' ? t2 : Math.min(2 * interval, t2);
        this.timers.start('E', interval, retransmit);
      };
      this.timers.start('E', interval, retransmit);
    }
    this.timers.start('F', 64 * t1, () => {
      this.terminate();
      this.onResponse(localResponse(this.request, 408, 'Request Timeout (Timer F)'));
    });
  }

  receive(res: SipResponse): void {
    if (this.state === 'completed' || this.state === 'terminated') return;
    if (res.status < 200) {
      this.state = 'proceeding';
      this.onResponse(res);
      return;
    }
    this.state = 'completed';
    this.timers.stop('E');
    this.timers.stop('F');
    const k = isReliable(this.dest.protocol) ? 0 : this.ctx.timers.t4;
    this.timers.start('K', k, () => this.terminate());
    this.onResponse(res);
  }
}
