// What both client transactions (RFC 3261 §17.1.1 INVITE, §17.1.2 non-INVITE) share: their
// request, destination and timers, the transport-error rule, and how they terminate.
import type { SipRequest } from './message';
import { createResponse } from './response';
import type { TransportAddress } from './transport';
import { TimerSet } from './transaction-context';
import type { ResponseHandler, TransactionContext } from './transaction-context';

export abstract class ClientTransactionBase<State extends string> {
  abstract state: State | 'completed' | 'terminated';
  protected readonly timers: TimerSet;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly dest: TransportAddress,
    protected readonly ctx: TransactionContext,
    protected readonly onResponse: ResponseHandler,
  ) {
    this.timers = new TimerSet(ctx.scheduler);
  }

  /** §8.1.3.1: a transport failure is reported to the TU as a 503. */
  protected transportError(err: Error): void {
    if (this.state === 'terminated' || this.state === 'completed') return;
    this.terminate();
    this.onResponse(createResponse(this.request, 503, { reason: `Service Unavailable (${err.message.replace(/[^\x20-\x7e]/g, '?').slice(0, 100)})` }));
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.timers.stopAll();
    this.ctx.terminated(this.key);
  }
}
