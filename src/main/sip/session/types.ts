// What a session (RFC 3261 §13-15) shares with the call layer and needs from the UA. Bodies are
// opaque: SDP is the call layer's business.
import type { SipRequest, SipResponse } from '../message';
import type { TargetsArgs } from '../routing';
import type { Scheduler, SipTimers } from '../timers';
import type { ClientTransaction, TransactionLayer } from '../transactions';
import type { TransportAddress, TransportProtocol } from '../transport';
import type { SipSession } from './session';

export interface SipBody {
  contentType: string;
  body: string;
}

/** What the call layer decides about a re-INVITE's offer: an answer, or a refusal such as 488. */
export type ReinviteDecision = { answer: SipBody } | { reject: number; reason?: string };

export type SessionState = 'calling' | 'proceeding' | 'early' | 'incoming' | 'established' | 'terminated';

export interface SessionEnd {
  by: 'local' | 'remote';
  /** Final status that ended it (487 for CANCEL, the failure status, or undefined for BYE). */
  status?: number;
  reason: string;
}

/** §20.5: the methods we take, in Allow of our INVITEs, 2xx and 405/501 answers. */
export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE, REFER, NOTIFY';

/**
 * §20.37: the extensions we take (RFC 3262 100rel, RFC 4028 timer, RFC 3891 replaces): Supported
 * of our requests, 2xx and OPTIONS answers, and what a Require may name without a 420 (§8.2.2.3).
 * The one list: add an extension here when it is implemented.
 */
export const OPTION_TAGS: readonly string[] = ['100rel', 'timer', 'replaces'];
export const SUPPORTED = OPTION_TAGS.join(', ');

/** §20.1: the bodies we take in a request (RFC 5621 multipart with an SDP part; call/offer-intake.ts). */
export const ACCEPT = 'application/sdp, multipart/mixed';

/** The parts of the UA a session uses. */
export interface UaContext {
  readonly layer: TransactionLayer;
  readonly timers: SipTimers;
  readonly scheduler: Scheduler;
  readonly userAgent: string;
  contactFor(protocol: TransportProtocol, peer?: string): string;
  addVia(req: SipRequest, protocol: TransportProtocol, peer?: string): void;
  sendWithAuth(req: SipRequest, dest: TransportAddress, onResponse: (res: SipResponse) => void, nextSeq: () => number, onResend?: (req: SipRequest) => void): ClientTransaction | undefined;
  /**
   * An out-of-dialog request to the servers RFC 3263 finds for `nextHop`, the next one after a
   * timeout or 503 (§4.3). `onAttempt` sees each request and its destination before it leaves,
   * and returns false to stop (the caller gave up meanwhile).
   */
  sendToTargets(...args: TargetsArgs): void;
  sendStateless(msg: SipRequest | SipResponse, dest: TransportAddress): void;
  sessionEnded(s: SipSession): void;
  /**
   * We sent a BYE on this dialog (its Dialog.id): a BYE from the far end that crosses ours is
   * answered 200, not 481, while ours may still be in flight (RFC 3261 §15.1.2; RFC 5407, BYE glare).
   */
  byeSent(dialogId: string): void;
  /** §14.1: 2.1-4 s if we own the Call-ID (we sent the initial INVITE), else 0-2 s. */
  glareDelay(owner: boolean): number;
}

/** The body of a message, or undefined when it has none. */
export function bodyOf(msg: SipRequest | SipResponse): SipBody | undefined {
  return msg.body ? { contentType: msg.headers.get('content-type') ?? '', body: msg.body } : undefined;
}
