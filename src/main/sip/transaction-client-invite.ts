// INVITE client transaction (RFC 3261 §17.1.1, Figure 5): Calling -> Proceeding -> Completed ->
// Terminated. Timer A retransmits over UDP, Timer B gives up (reported as a local 408), Timer D
// absorbs final-response retransmissions. Non-2xx finals are ACKed here (§17.1.1.3); 2xx ACKs
// belong to the UA core.
import { SipHeaders } from './headers';
import type { SipRequest, SipResponse } from './message';
import { isReliable } from './transport';
import { ClientTransactionBase, localResponse } from './transaction-client';

export type InviteClientState = 'calling' | 'proceeding' | 'completed' | 'terminated';

export class InviteClientTransaction extends ClientTransactionBase<InviteClientState> {
  state: InviteClientState = 'calling';
  private ack: SipRequest | undefined;

  start(): void {
    const t1 = this.ctx.timers.t1;
    this.ctx.send(this.request, this.dest, (err) => this.transportError(err));
    if (!isReliable(this.dest.protocol)) {
      let interval = t1;
      const retransmit = (): void => {
        this.ctx.send(this.request, this.dest);
        interval *= 2;
        this.timers.start('A', interval, retransmit);
      };
      this.timers.start('A', interval, retransmit);
    }
    this.timers.start('B', 64 * t1, () => {
      if (this.state !== 'calling') return;
      this.terminate();
      this.onResponse(localResponse(this.request, 408, 'Request Timeout (Timer B)'));
    });
  }

  receive(res: SipResponse): void {
    if (this.state === 'terminated') return;
    if (res.status < 200) {
      if (this.state === 'calling' || this.state === 'proceeding') {
        this.state = 'proceeding';
        this.timers.stop('A');
        // Timer B only guards Calling (§17.1.1.2); a provisional response ends that wait.
        this.timers.stop('B');
        this.onResponse(res);
      }
      return;
    }
    if (res.status < 300) {
      if (this.state === 'completed') return;
      this.terminate();
      this.onResponse(res);
      return;
    }
    if (this.state === 'completed') {
      if (this.ack) this.ctx.send(this.ack, this.dest);
      return;
    }
    this.state = 'completed';
    this.timers.stop('A');
    this.timers.stop('B');
    this.ack = buildNon2xxAck(this.request, res);
    this.ctx.send(this.ack, this.dest);
    const d = isReliable(this.dest.protocol) ? 0 : this.ctx.timers.timerD;
    this.timers.start('D', d, () => this.terminate());
    this.onResponse(res);
  }
}

/** §17.1.1.3: the ACK for a non-2xx final shares the INVITE's branch, Route set and CSeq number. */
export function buildNon2xxAck(invite: SipRequest, res: SipResponse): SipRequest {
  const h = new SipHeaders();
  h.add('Via', invite.headers.getAll('via')[0] ?? '');
  for (const r of invite.headers.getAll('route')) h.add('Route', r);
  h.add('Max-Forwards', '70');
  h.add('From', invite.headers.get('from') ?? '');
  h.add('To', res.headers.get('to') ?? invite.headers.get('to') ?? '');
  h.add('Call-ID', invite.headers.get('call-id') ?? '');
  const seq = (invite.headers.get('cseq') ?? '').trim().split(/\s+/)[0];
  h.add('CSeq', `${seq} ACK`);
  return { type: 'request', method: 'ACK', uri: invite.uri, headers: h, body: '' };
}
