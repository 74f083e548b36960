// One call's signalling (RFC 3261 §13-15): the INVITE transaction that sets it up, its dialog,
// re-INVITEs in both directions with glare handling (§14.1), 2xx retransmission until the ACK
// (§13.3.1.4), CANCEL (§9) and BYE (§15). Bodies are opaque (SDP is the call layer's business).
import { EventEmitter } from 'node:events';
import { Dialog } from './dialog';
import { destinationFor } from './destination';
import { SipStatusError } from './errors';
import { SipHeaders } from './headers';
import { cseqOf, tagOf } from './message';
import type { SipRequest, SipResponse } from './message';
import { randomToken } from './random';
import type { TargetsArgs } from './routing';
import { createResponse } from './response';
import type { Scheduler, SipTimers, TimerHandle } from './timers';
import type { InviteServerTransaction } from './transaction-server-invite';
import type { NonInviteServerTransaction } from './transaction-server-non-invite';
import type { ClientTransaction, TransactionLayer } from './transactions';
import type { TransportAddress, TransportProtocol } from './transport';

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

export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS';

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
  /** §14.1: 2.1-4 s if we own the Call-ID (we sent the initial INVITE), else 0-2 s. */
  glareDelay(owner: boolean): number;
}

const noop = (): void => undefined;

export class SipSession extends EventEmitter {
  state: SessionState;
  dialog: Dialog | undefined;
  /** The offer of an incoming call, or the answer of an outgoing one. */
  remoteBody: SipBody | undefined;
  /** Resolves with the answer when an outgoing call is answered; rejects with SipStatusError. */
  readonly answered: Promise<SipBody>;
  /** Resolves once, when the session ends. */
  readonly ended: Promise<SessionEnd>;
  /** The call layer's hook for re-INVITE offers (the security policy refuses with 488 here). */
  onReinvite: ((offer: SipBody) => ReinviteDecision | Promise<ReinviteDecision>) | undefined;

  private resolveAnswered: (b: SipBody) => void = noop;
  private rejectAnswered: (e: Error) => void = noop;
  private resolveEnded: (e: SessionEnd) => void = noop;
  private invite: SipRequest;
  private inviteTx: InviteServerTransaction | undefined;
  private provisionalSeen = false;
  private cancelRequested = false;
  private readonly localTag: string;
  private outgoingReinvite = false;
  private incomingReinvite = false;
  private retransmit2xx: { seq: number; handle: TimerHandle; giveUp: TimerHandle } | undefined;
  private lastAck: { seq: number; ack: SipRequest; dest: TransportAddress } | undefined;

  private constructor(
    private readonly ua: UaContext,
    readonly direction: 'outgoing' | 'incoming',
    invite: SipRequest,
    /** Where the INVITE went (outgoing: the current RFC 3263 target) or came from. */
    private dest: TransportAddress,
  ) {
    super();
    this.invite = invite;
    this.state = direction === 'outgoing' ? 'calling' : 'incoming';
    this.localTag = direction === 'outgoing' ? (tagOf(invite, 'from') ?? '') : randomToken(10);
    this.answered = new Promise((res, rej) => {
      this.resolveAnswered = res;
      this.rejectAnswered = rej;
    });
    this.answered.catch(noop);
    this.ended = new Promise((res) => (this.resolveEnded = res));
  }

  get callId(): string {
    return this.invite.headers.get('call-id') ?? '';
  }

  /** The address the INVITE came from (incoming) or went to (outgoing, once DNS answered). */
  get remoteHost(): string {
    return this.dest.host;
  }

  /** The remote party's From (incoming) or To (outgoing) value. */
  get remoteIdentity(): string {
    return (this.direction === 'incoming' ? this.invite.headers.get('from') : this.invite.headers.get('to')) ?? '';
  }

  /** Matches a request or response to this session by tags (§12.2: the dialog ID). */
  matches(localTag: string | undefined, remoteTag: string | undefined): boolean {
    if (localTag !== this.localTag) return false;
    return !this.dialog || !remoteTag || this.dialog.remoteTag === remoteTag || this.state === 'early' || this.state === 'proceeding';
  }

  /** Sends `invite` towards `nextHop` (the outbound proxy's URI, or the Request-URI). */
  static outgoing(ua: UaContext, invite: SipRequest, nextHop: string): SipSession {
    // The destination is known once DNS answers (sendInitialInvite).
    const s = new SipSession(ua, 'outgoing', invite, { protocol: 'UDP', host: '', port: 0 });
    s.sendInitialInvite(nextHop);
    return s;
  }

  static incoming(ua: UaContext, invite: SipRequest, tx: InviteServerTransaction, source: TransportAddress): SipSession {
    const s = new SipSession(ua, 'incoming', invite, source);
    s.inviteTx = tx;
    s.remoteBody = invite.body ? { contentType: invite.headers.get('content-type') ?? '', body: invite.body } : undefined;
    tx.onAckTimeout = noop;
    return s;
  }

  // ---- outgoing call -------------------------------------------------------------------

  private sendInitialInvite(nextHop: string): void {
    let seq = cseqOf(this.invite).seq;
    this.ua.sendToTargets(
      this.invite,
      nextHop,
      (res) => this.onInviteResponse(res),
      () => ++seq,
      (next, dest) => {
        if (this.state === 'terminated') return false;
        this.invite = next;
        this.dest = dest;
        // Hung up before any answer: no INVITE to the next server.
        return !this.cancelRequested;
      },
    );
  }

  private onInviteResponse(res: SipResponse): void {
    if (res.status < 200) {
      if (this.state === 'terminated') return;
      if (res.status > 100) this.provisionalSeen = true;
      if (res.status > 100 && tagOf(res, 'to')) {
        this.dialog = Dialog.asUac(this.invite, res, this.dest.protocol);
        this.setState('early');
      } else if (this.state === 'calling') this.setState('proceeding');
      if (res.status > 100) this.emit('progress', res.status, res.body ? { contentType: res.headers.get('content-type') ?? '', body: res.body } : undefined);
      if (this.cancelRequested && res.status > 100) this.sendCancel();
      return;
    }
    if (res.status < 300) {
      if (this.state === 'established' || this.state === 'terminated') {
        // Another fork answered, or we hung up meanwhile (§13.2.2.4): confirm and end it.
        this.ackAndBye(res);
        return;
      }
      this.dialog = Dialog.asUac(this.invite, res, this.dest.protocol);
      this.sendAck(res);
      this.remoteBody = res.body ? { contentType: res.headers.get('content-type') ?? '', body: res.body } : undefined;
      if (this.cancelRequested) {
        this.sendBye();
        this.finish({ by: 'local', reason: 'cancelled, answered meanwhile' });
        this.rejectAnswered(new SipStatusError(487, 'Request Terminated'));
        return;
      }
      this.setState('established');
      this.resolveAnswered(this.remoteBody ?? { contentType: '', body: '' });
      this.emit('established', this.remoteBody);
      return;
    }
    this.fail(res.status, res.reason, this.cancelRequested ? 'local' : 'remote');
  }

  private fail(status: number, reason: string, by: 'local' | 'remote' = 'remote'): void {
    this.rejectAnswered(new SipStatusError(status, reason));
    this.finish({ by, status, reason });
  }

  private sendAck(res: SipResponse): void {
    if (!this.dialog) return;
    const seq = cseqOf(res).seq;
    const ack = this.dialog.createRequest('ACK', seq);
    for (const auth of ['authorization', 'proxy-authorization']) {
      const v = this.invite.headers.get(auth);
      if (v) ack.headers.add(auth, v);
    }
    const dest = this.inDialogDestination();
    this.ua.addVia(ack, dest.protocol, dest.host);
    this.lastAck = { seq, ack, dest };
    this.ua.sendStateless(ack, dest);
  }

  private ackAndBye(res: SipResponse): void {
    const d = Dialog.asUac(this.invite, res, this.dest.protocol);
    const ack = d.createRequest('ACK', cseqOf(res).seq);
    const dest = destinationFor(d.nextHop, d.transport) ?? this.dest;
    this.ua.addVia(ack, dest.protocol, dest.host);
    this.ua.sendStateless(ack, dest);
    const bye = d.createRequest('BYE');
    this.ua.addVia(bye, dest.protocol, dest.host);
    this.ua.sendWithAuth(bye, dest, noop, () => ++d.localSeq);
  }

  /** A 2xx retransmission after the INVITE transaction ended: the ACK was lost (§13.2.2.4). */
  stray2xx(res: SipResponse): void {
    if (this.lastAck && cseqOf(res).seq === this.lastAck.seq && this.dialog && tagOf(res, 'to') === this.dialog.remoteTag) {
      this.ua.sendStateless(this.lastAck.ack, this.lastAck.dest);
    } else if (cseqOf(res).method === 'INVITE') this.ackAndBye(res);
  }

  private sendCancel(): void {
    // §9.1: same Request-URI, Call-ID, To, From, CSeq number and the single top Via of the INVITE.
    const h = new SipHeaders();
    h.add('Via', this.invite.headers.getAll('via')[0] ?? '');
    for (const r of this.invite.headers.getAll('route')) h.add('Route', r);
    h.add('Max-Forwards', '70');
    for (const n of ['from', 'to', 'call-id']) h.add(n, this.invite.headers.get(n) ?? '');
    h.add('CSeq', `${cseqOf(this.invite).seq} CANCEL`);
    h.add('User-Agent', this.ua.userAgent);
    this.ua.layer.sendRequest({ type: 'request', method: 'CANCEL', uri: this.invite.uri, headers: h, body: '' }, this.dest, noop);
  }

  // ---- incoming call -------------------------------------------------------------------

  private uasResponse(status: number, body?: SipBody): SipResponse {
    const req = this.invite;
    const headers: [string, string][] = [];
    if (status > 100 && status < 300) {
      for (const rr of req.headers.getAll('record-route')) headers.push(['Record-Route', rr]);
      headers.push(['Contact', this.ua.contactFor(this.dest.protocol, this.dest.host)]);
      headers.push(['Allow', ALLOW]);
    }
    headers.push(['User-Agent', this.ua.userAgent]);
    if (body) headers.push(['Content-Type', body.contentType]);
    return createResponse(req, status, { toTag: this.localTag, headers, body: body?.body ?? '' });
  }

  /** Sends 180 Ringing or 183 Session Progress (with early media) for an incoming call. */
  progress(status: 180 | 183 = 180, body?: SipBody): void {
    if (this.direction !== 'incoming' || this.state !== 'incoming' || !this.inviteTx) return;
    this.dialog ??= Dialog.asUas(this.invite, this.localTag, this.dest.protocol);
    this.inviteTx.respond(this.uasResponse(status, body));
  }

  /** Answers an incoming call with 200 OK carrying the SDP answer. */
  accept(answer: SipBody): void {
    if (this.direction !== 'incoming' || this.state !== 'incoming' || !this.inviteTx) throw new Error(`cannot accept in state ${this.state}`);
    this.dialog ??= Dialog.asUas(this.invite, this.localTag, this.dest.protocol);
    const ok = this.uasResponse(200, answer);
    this.inviteTx.respond(ok);
    this.inviteTx = undefined;
    this.start2xxRetransmission(ok, cseqOf(this.invite).seq);
    this.setState('established');
    this.emit('established', answer);
  }

  /** Refuses an incoming call (486 Busy Here, 603 Decline, 488 Not Acceptable Here...). */
  reject(status = 603, reason?: string): void {
    if (this.direction !== 'incoming' || this.state !== 'incoming' || !this.inviteTx) return;
    const res = this.uasResponse(status);
    if (reason) res.reason = reason;
    this.inviteTx.respond(res);
    this.inviteTx = undefined;
    this.finish({ by: 'local', status, reason: res.reason });
  }

  /** The caller sent CANCEL for the INVITE this transaction carries (§9.2). */
  cancelled(tx: InviteServerTransaction): void {
    if (tx === this.inviteTx && this.state === 'incoming') {
      tx.respond(this.uasResponse(487));
      this.inviteTx = undefined;
      this.finish({ by: 'remote', status: 487, reason: 'cancelled by caller' });
    } else if (tx.state === 'proceeding') tx.respond(createResponse(tx.request, 487, { toTag: this.localTag }));
  }

  private start2xxRetransmission(ok: SipResponse, seq: number): void {
    this.stop2xxRetransmission();
    const { t1, t2 } = this.ua.timers;
    let interval = t1;
    const tick = (): void => {
      this.ua.sendStateless(ok, this.dest);
      interval = Math.min(2 * interval, t2);
      if (this.retransmit2xx) this.retransmit2xx.handle = this.ua.scheduler.set(interval, tick);
    };
    // §13.3.1.4: no ACK after 64*T1: the dialog is confirmed anyway, and the session ends.
    const giveUp = this.ua.scheduler.set(64 * t1, () => {
      this.stop2xxRetransmission();
      this.bye();
    });
    this.retransmit2xx = { seq, handle: this.ua.scheduler.set(interval, tick), giveUp };
  }

  private stop2xxRetransmission(): void {
    if (this.retransmit2xx) {
      this.ua.scheduler.clear(this.retransmit2xx.handle);
      this.ua.scheduler.clear(this.retransmit2xx.giveUp);
    }
    this.retransmit2xx = undefined;
  }

  // ---- inside the dialog ----------------------------------------------------------------

  private inDialogDestination(): TransportAddress {
    return (this.dialog && destinationFor(this.dialog.nextHop, this.dialog.transport)) ?? this.dest;
  }

  /** A request carrying our dialog's tags (the UA matched it). ACKs come without a transaction. */
  receive(req: SipRequest, tx: InviteServerTransaction | NonInviteServerTransaction | undefined): void {
    const cseq = cseqOf(req);
    if (req.method === 'ACK') {
      if (this.retransmit2xx && cseq.seq === this.retransmit2xx.seq) {
        this.stop2xxRetransmission();
        if (req.body) this.emit('ack', { contentType: req.headers.get('content-type') ?? '', body: req.body });
      }
      return;
    }
    if (!tx) return;
    const d = this.dialog;
    if (!d || this.state === 'terminated') {
      tx.respond(createResponse(req, 481));
      return;
    }
    if (d.remoteSeq !== undefined && cseq.seq < d.remoteSeq) {
      tx.respond(createResponse(req, 500, { reason: 'CSeq Out of Order' }));
      return;
    }
    d.remoteSeq = cseq.seq;
    switch (req.method) {
      case 'BYE':
        tx.respond(createResponse(req, 200));
        if (this.inviteTx) {
          this.inviteTx.respond(this.uasResponse(487));
          this.inviteTx = undefined;
        }
        this.finish({ by: 'remote', reason: 'BYE' });
        return;
      case 'INVITE':
        this.receiveReinvite(req, tx as InviteServerTransaction);
        return;
      case 'OPTIONS':
        tx.respond(createResponse(req, 200, { headers: [['Allow', ALLOW]] }));
        return;
      default:
        tx.respond(createResponse(req, 501, { headers: [['Allow', ALLOW]] }));
    }
  }

  private receiveReinvite(req: SipRequest, tx: InviteServerTransaction): void {
    if (this.state !== 'established') {
      tx.respond(createResponse(req, 491, { toTag: this.localTag }));
      return;
    }
    if (this.outgoingReinvite) {
      // §14.2: glare, our own re-INVITE is in progress.
      tx.respond(createResponse(req, 491, { toTag: this.localTag }));
      return;
    }
    if (this.incomingReinvite) {
      tx.respond(createResponse(req, 500, { toTag: this.localTag, headers: [['Retry-After', String(Math.floor(Math.random() * 10))]] }));
      return;
    }
    this.incomingReinvite = true;
    const offer: SipBody = { contentType: req.headers.get('content-type') ?? '', body: req.body };
    const respond = (decision: ReinviteDecision): void => {
      this.incomingReinvite = false;
      if (this.state !== 'established') return;
      if ('reject' in decision) {
        const res = createResponse(req, decision.reject, { toTag: this.localTag, headers: [['User-Agent', this.ua.userAgent]] });
        if (decision.reason) res.reason = decision.reason;
        tx.respond(res);
        this.emit('reinviteRejected', offer, decision.reject);
        return;
      }
      this.dialog?.refreshTarget(req);
      const ok = createResponse(req, 200, {
        toTag: this.localTag,
        headers: [
          ['Contact', this.ua.contactFor(this.dest.protocol, this.dest.host)],
          ['Allow', ALLOW],
          ['User-Agent', this.ua.userAgent],
          ['Content-Type', decision.answer.contentType],
        ],
        body: decision.answer.body,
      });
      tx.respond(ok);
      this.start2xxRetransmission(ok, cseqOf(req).seq);
      this.emit('reinvited', offer, decision.answer);
    };
    let decision: ReinviteDecision | Promise<ReinviteDecision>;
    try {
      decision = this.onReinvite ? this.onReinvite(offer) : { reject: 488, reason: 'Not Acceptable Here' };
    } catch {
      decision = { reject: 500 };
    }
    if (decision instanceof Promise) {
      tx.respond(createResponse(req, 100));
      decision.then(respond, () => respond({ reject: 500 }));
    } else respond(decision);
  }

  /**
   * Sends a re-INVITE with a new offer (adding video, hold) and resolves with the answer. On
   * glare (491) it retries after the §14.1 delay; other refusals reject with SipStatusError and
   * leave the call as it was.
   */
  reinvite(offer: SipBody): Promise<SipBody> {
    return new Promise((resolve, reject) => {
      let attempts = 0;
      const attempt = (): void => {
        if (this.state !== 'established' || !this.dialog) return reject(new Error(`cannot re-INVITE in state ${this.state}`));
        if (this.outgoingReinvite || this.incomingReinvite) return reject(new SipStatusError(491, 'Request Pending'));
        this.outgoingReinvite = true;
        const d = this.dialog;
        const req = d.createRequest('INVITE');
        req.headers.add('Contact', this.ua.contactFor(this.dest.protocol, this.dest.host));
        req.headers.add('Allow', ALLOW);
        req.headers.add('User-Agent', this.ua.userAgent);
        req.headers.add('Content-Type', offer.contentType);
        req.body = offer.body;
        const dest = this.inDialogDestination();
        this.ua.addVia(req, dest.protocol, dest.host);
        const tx = this.ua.sendWithAuth(
          req,
          dest,
          (res) => {
            if (res.status < 200) return;
            this.outgoingReinvite = false;
            if (res.status < 300) {
              if (this.state === 'terminated') return;
              d.refreshTarget(res);
              this.sendAck(res);
              const answer = { contentType: res.headers.get('content-type') ?? '', body: res.body };
              this.emit('reinvited', offer, answer);
              resolve(answer);
            } else if (res.status === 491 && attempts++ < 5) {
              this.ua.scheduler.set(this.ua.glareDelay(this.direction === 'outgoing'), attempt);
            } else {
              if (res.status === 481 || res.status === 408) this.finish({ by: 'remote', status: res.status, reason: res.reason });
              reject(new SipStatusError(res.status, res.reason));
            }
          },
          () => ++d.localSeq,
        );
        if (!tx) {
          this.outgoingReinvite = false;
          reject(new SipStatusError(503, 'No transport for the destination'));
        }
      };
      attempt();
    });
  }

  /**
   * Ends the call whatever its state: CANCEL before an answer (§9.1), decline an unanswered
   * incoming call (603), BYE once established (§15.1).
   */
  bye(): void {
    if (this.state === 'terminated') return;
    if (this.direction === 'outgoing' && this.state !== 'established') {
      this.cancelRequested = true;
      if (this.provisionalSeen) this.sendCancel();
      return;
    }
    if (this.direction === 'incoming' && this.state === 'incoming') {
      this.reject(603);
      return;
    }
    this.sendBye();
    this.finish({ by: 'local', reason: 'BYE' });
  }

  private sendBye(): void {
    const d = this.dialog;
    if (!d) return;
    const req = d.createRequest('BYE');
    req.headers.add('User-Agent', this.ua.userAgent);
    const dest = this.inDialogDestination();
    this.ua.addVia(req, dest.protocol, dest.host);
    this.ua.sendWithAuth(req, dest, noop, () => ++d.localSeq);
  }

  private setState(state: SessionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  private finish(end: SessionEnd): void {
    if (this.state === 'terminated') return;
    this.stop2xxRetransmission();
    this.setState('terminated');
    this.rejectAnswered(new SipStatusError(end.status ?? 487, end.reason));
    this.resolveEnded(end);
    this.emit('ended', end);
    this.ua.sessionEnded(this);
  }

  /** Ends without signalling (the UA is shutting down its transports). */
  abandon(): void {
    this.finish({ by: 'local', reason: 'UA closed' });
  }
}
