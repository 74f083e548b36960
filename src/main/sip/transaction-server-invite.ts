// INVITE server transaction (RFC 3261 §17.2.1, Figure 7): Proceeding -> Completed -> Confirmed
// -> Terminated. A retransmitted INVITE gets the last response again; Timer G retransmits a
// non-2xx final over UDP until the ACK, Timer H gives up waiting for it, Timer I absorbs ACKs.
// After a 2xx it waits in Accepted (RFC 6026 §7.1) for Timer L, absorbing INVITE retransmissions
// that would otherwise look like new calls; the UA core retransmits the 2xx (§13.3.1.4).
import type { SipResponse } from './message';
import { isReliable } from './transport';
import { ServerTransactionBase } from './transaction-server';

export type InviteServerState = 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

export class InviteServerTransaction extends ServerTransactionBase<InviteServerState> {
  state: InviteServerState = 'proceeding';
  /** Called when Timer H fires: the ACK never came (§17.2.1). */
  onAckTimeout: (() => void) | undefined;

  respond(res: SipResponse): void {
    if (this.state !== 'proceeding') return;
    this.lastResponse = res;
    this.ctx.send(res, this.source);
    if (res.status < 200) return;
    if (res.status < 300) {
      this.state = 'accepted';
      this.timers.start('L', 64 * this.ctx.timers.t1, () => this.terminate());
      return;
    }
    this.state = 'completed';
    const { t1, t2 } = this.ctx.timers;
    if (!isReliable(this.source.protocol)) {
      let interval = t1;
      const retransmit = (): void => {
        this.ctx.send(res, this.source);
        interval = Math.min(2 * interval, t2);
        this.timers.start('G', interval, retransmit);
      };
      this.timers.start('G', interval, retransmit);
    }
    this.timers.start('H', 64 * t1, () => {
      this.terminate();
      this.onAckTimeout?.();
    });
  }

  ack(): void {
    if (this.state !== 'completed') return;
    this.state = 'confirmed';
    this.timers.stop('G');
    this.timers.stop('H');
    this.timers.start('I', isReliable(this.source.protocol) ? 0 : this.ctx.timers.t4, () => this.terminate());
  }
}
