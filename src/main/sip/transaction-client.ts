// What both client transactions (RFC 3261 §17.1.1 INVITE, §17.1.2 non-INVITE) share: their
// request, destination and timers, the transport-error rule, and how they terminate.
import type { SipRequest, SipResponse } from './message';
import { createResponse } from './response';
import type { TransportAddress } from './transport';
import { TimerSet } from './transaction-context';
import type { ResponseHandler, TransactionContext } from './transaction-context';

/**
 * Responses a client transaction made up itself (Timer B/F timeouts, transport errors), not
 * ones a server sent: RFC 3263 §4.3 fails over to the next server on these.
 */
export const localResponses = new WeakSet<SipResponse>();

/** A response made up here; it is marked so callers can tell it from a received one. */
export function localResponse(req: SipRequest, status: number, reason: string): SipResponse {
  const res = createResponse(req, status, { reason });
  localResponses.add(res);
  return res;
}

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
    this.onResponse(localResponse(this.request, 503, `Service Unavailable (${err.message.replace(/[^\x20-\x7e]/g, '?').slice(0, 100)})`));
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.timers.stopAll();
    this.ctx.terminated(this.key);
  }
}
