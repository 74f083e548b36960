// One call's signalling (RFC 3261 §13-15) as the call layer sees it. The parts live beside it,
// as libre splits sipsess/: connect.ts (the outgoing INVITE), accept.ts (the incoming one),
// reinvite.ts and modify.ts (re-INVITEs received and sent, §14), close.ts (CANCEL §9, BYE §15);
// core.ts holds the state they share. This file composes them and routes in-dialog requests.
import { EventEmitter } from 'node:events';
import type { Dialog } from '../dialog';
import { cseqOf } from '../message';
import type { SipRequest, SipResponse } from '../message';
import { createResponse } from '../response';
import type { InviteServerTransaction } from '../transaction-server-invite';
import type { NonInviteServerTransaction } from '../transaction-server-non-invite';
import type { TransportAddress } from '../transport';
import { accept, progress, reject } from './accept';
import { bye, cancelled, receiveBye } from './close';
import { sendInitialInvite, stray2xx } from './connect';
import { noop, SessionCore } from './core';
import { modify } from './modify';
import { receivePrack } from './prack';
import { expireSession, refreshSession } from './refresh';
import { receiveReinvite } from './reinvite';
import { notifyRefer, receiveNotify, receiveRefer, sendRefer } from './refer';
import type { ReinviteHook } from './reinvite';
import { requestTimerHeaders, runSessionTimer } from './timer';
import { ALLOW, bodyOf, SUPPORTED } from './types';
import { receiveUpdate } from './update';
import type { SessionEnd, SessionState, SipBody, UaContext } from './types';

/**
 * Public members: the call layer's (state, bodies, progress, accept, reject, reinvite, bye) and
 * the UA's (matches, cancelled, receive, abandon), more than fifteen because both drive one
 * session.
 */
export class SipSession extends EventEmitter {
  /** The call layer's hook for re-INVITE offers (the security policy refuses with 488 here). */
  onReinvite: ReinviteHook;
  private readonly core: SessionCore;

  private constructor(ua: UaContext, direction: 'outgoing' | 'incoming', invite: SipRequest, dest: TransportAddress) {
    super();
    this.core = new SessionCore(this, ua, direction, invite, dest);
    this.core.refresh = () => refreshSession(this.core);
    this.core.expire = () => expireSession(this.core);
  }

  /** Sends `invite` towards `nextHop` (the outbound proxy's URI, or the Request-URI). */
  static outgoing(ua: UaContext, invite: SipRequest, nextHop: string): SipSession {
    // The destination is known once DNS answers (connect.ts).
    // RFC 3262 §4 and RFC 4028 §7.1: we take reliable 18x and ask for a session timer.
    invite.headers.add('Supported', SUPPORTED);
    const s = new SipSession(ua, 'outgoing', invite, { protocol: 'UDP', host: '', port: 0 });
    for (const [n, v] of requestTimerHeaders(s.core)) invite.headers.add(n, v);
    sendInitialInvite(s.core, nextHop);
    return s;
  }

  static incoming(ua: UaContext, invite: SipRequest, tx: InviteServerTransaction, source: TransportAddress): SipSession {
    const s = new SipSession(ua, 'incoming', invite, source);
    s.core.inviteTx = tx;
    s.core.remoteBody = bodyOf(invite);
    tx.onAckTimeout = noop;
    return s;
  }

  get direction(): 'outgoing' | 'incoming' {
    return this.core.direction;
  }

  get state(): SessionState {
    return this.core.state;
  }

  get dialog(): Dialog | undefined {
    return this.core.dialog;
  }

  /** The offer of an incoming call, or the answer of an outgoing one. */
  get remoteBody(): SipBody | undefined {
    return this.core.remoteBody;
  }

  /** Resolves with the answer when an outgoing call is answered; rejects with SipStatusError. */
  get answered(): Promise<SipBody> {
    return this.core.answered;
  }

  /** Resolves once, when the session ends. */
  get ended(): Promise<SessionEnd> {
    return this.core.ended;
  }

  get callId(): string {
    return this.core.invite.headers.get('call-id') ?? '';
  }

  /** The address the INVITE came from (incoming) or went to (outgoing, once DNS answered). */
  get remoteHost(): string {
    return this.core.dest.host;
  }

  /** The remote party's From (incoming) or To (outgoing) value. */
  get remoteIdentity(): string {
    const h = this.core.invite.headers;
    return (this.direction === 'incoming' ? h.get('from') : h.get('to')) ?? '';
  }

  /** Sends 180 Ringing or 183 Session Progress (with early media) for an incoming call. */
  progress(status: 180 | 183 = 180, body?: SipBody): void {
    progress(this.core, status, body);
  }

  /** Answers an incoming call with 200 OK carrying the SDP answer. */
  accept(answer: SipBody): void {
    accept(this.core, answer);
  }

  /** Refuses an incoming call (486 Busy Here, 603 Decline, 488 Not Acceptable Here...). */
  /** `headers`: what the refusal explains (Accept, Warning, ...: call/offer-intake.ts). */
  reject(status = 603, reason?: string, headers: readonly [string, string][] = []): void {
    reject(this.core, status, reason, headers);
  }

  /** The values of one header of the request that opened the session (the INVITE). */
  requestHeader(name: string): string[] {
    return this.core.invite.headers.getAll(name);
  }

  /**
   * Sends a re-INVITE with a new offer (adding video, hold) and resolves with the answer. On
   * glare (491) it retries after the §14.1 delay; other refusals reject with SipStatusError and
   * leave the call as it was.
   */
  reinvite(offer: SipBody): Promise<SipBody> {
    return modify(this.core, offer);
  }

  /**
   * Ends the call whatever its state: CANCEL before an answer (§9.1), decline an unanswered
   * incoming call (603), BYE once established (§15.1).
   */
  bye(): void {
    bye(this.core);
  }

  /**
   * Transfer (RFC 3515 §2.4.1): asks the peer to call the Refer-To value `referTo` (replaces.ts
   * formatReferTo). Resolves on 202; progress comes as 'referProgress' (ReferProgress) events.
   */
  refer(referTo: string): Promise<void> {
    return sendRefer(this.core, referTo);
  }

  /** Reports the call a received REFER asked for (§2.4.4): 1xx progress, then the final status. */
  notifyRefer(status: number, reason: string): void {
    notifyRefer(this.core, status, reason);
  }

  /** RFC 3891: the confirmed dialog an incoming INVITE with Replaces takes over (set by the UA). */
  replaces: SipSession | undefined;

  /** Our dialog as a Replaces names it from the peer's side (to-tag theirs, from-tag ours, §6.1). */
  get dialogAsSeenByPeer(): { callId: string; toTag: string; fromTag: string } | undefined {
    const d = this.core.dialog;
    return d ? { callId: d.callId, toTag: d.remoteTag, fromTag: d.localTag } : undefined;
  }

  /** The peer's Contact URI (the remote target, §12.1): where a transfer to this peer calls. */
  get remoteTarget(): string | undefined {
    return this.core.dialog?.remoteTarget;
  }

  // ---- for the UA's dispatch (ua/incoming.ts) --------------------------------------------

  /** Matches a request or response to this session by tags (§12.2: the dialog ID). */
  matches(localTag: string | undefined, remoteTag: string | undefined): boolean {
    const { localTag: ours, dialog, state } = this.core;
    if (localTag !== ours) return false;
    return !dialog || !remoteTag || dialog.remoteTag === remoteTag || state === 'early' || state === 'proceeding';
  }

  /** A 2xx retransmission after the INVITE transaction ended: the ACK was lost (§13.2.2.4). */
  stray2xx(res: SipResponse): void {
    stray2xx(this.core, res);
  }

  /** The caller sent CANCEL for the INVITE this transaction carries (§9.2). */
  cancelled(tx: InviteServerTransaction): void {
    cancelled(this.core, tx);
  }

  /** A request carrying our dialog's tags (the UA matched it). ACKs come without a transaction. */
  receive(req: SipRequest, tx: InviteServerTransaction | NonInviteServerTransaction | undefined): void {
    const s = this.core;
    const cseq = cseqOf(req);
    if (req.method === 'ACK') {
      // §13.3.1.4: the ACK for our 2xx stops its retransmission.
      if (s.retransmit2xx && cseq.seq === s.retransmit2xx.seq) {
        s.stop2xxRetransmission();
        // A delayed offer's answer comes here (§13.2.1); an ACK without one says so too.
        this.emit('ack', bodyOf(req));
      }
      return;
    }
    if (!tx) return;
    const d = s.dialog;
    if (!d || s.state === 'terminated') {
      tx.respond(createResponse(req, 481));
      return;
    }
    // §12.2.2: a CSeq lower than the last one is out of order.
    if (d.remoteSeq !== undefined && cseq.seq < d.remoteSeq) {
      tx.respond(createResponse(req, 500, { reason: 'CSeq Out of Order' }));
      return;
    }
    d.remoteSeq = cseq.seq;
    switch (req.method) {
      case 'BYE':
        return receiveBye(s, req, tx);
      case 'INVITE':
        return receiveReinvite(s, req, tx as InviteServerTransaction, this.onReinvite);
      case 'OPTIONS':
        tx.respond(createResponse(req, 200, { headers: [['Allow', ALLOW]] }));
        return;
      case 'PRACK':
        return receivePrack(s, req, tx as NonInviteServerTransaction, () => this.reject(500, 'Reliable Provisional Response Not Acknowledged'));
      case 'UPDATE':
        return receiveUpdate(s, req, tx as NonInviteServerTransaction, this.onReinvite, (t) => runSessionTimer(s, t));
      case 'REFER':
        return receiveRefer(s, req, tx as NonInviteServerTransaction);
      case 'NOTIFY':
        return receiveNotify(s, req, tx as NonInviteServerTransaction);
      default:
        tx.respond(createResponse(req, 501, { headers: [['Allow', ALLOW]] }));
    }
  }

  /** Ends without signalling (the UA is shutting down its transports). */
  abandon(): void {
    this.core.finish({ by: 'local', reason: 'UA closed' });
  }
}
