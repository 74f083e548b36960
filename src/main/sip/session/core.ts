// The state one call's signalling shares between its parts (connect, accept, reinvite, modify,
// close), as libre's `struct sipsess` is shared by sipsess/*.c: the INVITE, the dialog (§12),
// the re-INVITE flags (§14) and the 2xx retransmission (§13.3.1.4), with the helpers that end
// the session and address the dialog.
import type { Dialog } from '../dialog';
import { destinationFor } from '../destination';
import { SipStatusError } from '../errors';
import { cseqOf, tagOf } from '../message';
import type { SipRequest, SipResponse } from '../message';
import { randomToken } from '../random';
import { createResponse } from '../response';
import type { TimerHandle } from '../timers';
import type { InviteServerTransaction } from '../transaction-server-invite';
import type { ClientTransaction } from '../transactions';
import type { TransportAddress } from '../transport';
import type { SipSession } from './session';
import type { SessionTimerState } from './timer';
import { ALLOW, SUPPORTED } from './types';
import type { SipBody, SessionEnd, SessionState, UaContext } from './types';

export const noop = (): void => undefined;

/**
 * Public members: the state and helpers connect/accept/reinvite/modify/close share, as libre's
 * sipsess/*.c share `struct sipsess`; more than fifteen because those parts are functions over it.
 * Only SipSession and those parts hold one.
 */
export class SessionCore {
  state: SessionState;
  dialog: Dialog | undefined;
  /** The offer of an incoming call, or the answer of an outgoing one. */
  remoteBody: SipBody | undefined;
  /** The initial INVITE (outgoing: as last sent, to the current RFC 3263 target). */
  invite: SipRequest;
  /** The incoming INVITE's server transaction until it gets its final response. */
  inviteTx: InviteServerTransaction | undefined;
  provisionalSeen = false;
  cancelRequested = false;
  readonly localTag: string;
  outgoingReinvite = false;
  incomingReinvite = false;
  retransmit2xx: { seq: number; handle: TimerHandle; giveUp: TimerHandle } | undefined;
  lastAck: { seq: number; ack: SipRequest; dest: TransportAddress } | undefined;
  /** RFC 4028: the session timer once a 2xx settled one. */
  sessionTimer: SessionTimerState | undefined;
  /** The last SDP we sent (offer or answer): a refresh re-INVITE repeats it unchanged. */
  localBody: SipBody | undefined;
  /** RFC 3262 §3 (UAS): the reliable 18x awaiting PRACK, and those queued behind it. */
  reliable1xx: { rseq: number; res: SipResponse; handle: TimerHandle; giveUp: TimerHandle } | undefined;
  queued1xx: SipResponse[] = [];
  /** RFC 3262 §3: the 200 held back until the PRACK of an 18x that carried SDP (accept.ts). */
  onPracked: (() => void) | undefined;
  lastRseq = Math.floor(Math.random() * 2 ** 30);
  /** RFC 3262 §4 (UAC): the last RSeq PRACKed per early dialog (remote tag). */
  prackedRseq = new Map<string, number>();
  /** Set by session.ts: what ends the call when its session timer runs out (RFC 4028 §10). */
  expire: () => void = noop;
  /** Set by session.ts: the refresh we send as the refresher (RFC 4028 §7.4, refresh.ts). */
  refresh: () => void = noop;
  /** The peer's Allow (from its INVITE or 2xx): a refresh is an UPDATE when it lists UPDATE. */
  remoteAllow = '';
  readonly answered: Promise<SipBody>;
  readonly ended: Promise<SessionEnd>;
  resolveAnswered: (b: SipBody) => void = noop;
  rejectAnswered: (e: Error) => void = noop;
  private resolveEnded: (e: SessionEnd) => void = noop;

  constructor(
    /** The public face: events are emitted on it, and the UA knows the session by it. */
    readonly session: SipSession,
    readonly ua: UaContext,
    readonly direction: 'outgoing' | 'incoming',
    invite: SipRequest,
    /** Where the INVITE went (outgoing: the current RFC 3263 target) or came from. */
    public dest: TransportAddress,
  ) {
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

  emit(event: string, ...args: unknown[]): void {
    this.session.emit(event, ...args);
  }

  setState(state: SessionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  fail(status: number, reason: string, by: 'local' | 'remote' = 'remote'): void {
    this.rejectAnswered(new SipStatusError(status, reason));
    this.finish({ by, status, reason });
  }

  finish(end: SessionEnd): void {
    if (this.state === 'terminated') return;
    this.stop2xxRetransmission();
    this.stopTimers();
    this.setState('terminated');
    this.rejectAnswered(new SipStatusError(end.status ?? 487, end.reason));
    this.resolveEnded(end);
    this.emit('ended', end);
    this.ua.sessionEnded(this.session);
  }

  /** The RFC 3262 retransmission and the RFC 4028 timer end with the session. */
  private stopTimers(): void {
    if (this.reliable1xx) {
      this.ua.scheduler.clear(this.reliable1xx.handle);
      this.ua.scheduler.clear(this.reliable1xx.giveUp);
    }
    this.reliable1xx = undefined;
    this.queued1xx = [];
    for (const h of this.sessionTimer?.handles ?? []) this.ua.scheduler.clear(h);
    this.sessionTimer = undefined;
  }
  /** §12.2.1.1: in-dialog requests go to the route set's first hop, else the remote target. */
  inDialogDestination(): TransportAddress {
    return (this.dialog && destinationFor(this.dialog.nextHop, this.dialog.transport)) ?? this.dest;
  }

  /**
   * Sends `req`, built by dialog `d`, to the in-dialog destination under our Via; a challenge
   * (§22.2) resends it with `d`'s next CSeq. Undefined when no transport reaches the destination.
   */
  sendWithinDialog(d: Dialog, req: SipRequest, onResponse: (res: SipResponse) => void): ClientTransaction | undefined {
    const dest = this.inDialogDestination();
    this.ua.addVia(req, dest.protocol, dest.host);
    return this.ua.sendWithAuth(req, dest, onResponse, () => ++d.localSeq);
  }

  /** §13.2.2.4: the ACK for a 2xx is its own transaction-less request, kept for 2xx repeats. */
  sendAck(res: SipResponse): void {
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

  /** A response to the incoming INVITE (§12.1.1: a dialog-creating one has Contact, Record-Route). */
  uasResponse(status: number, body?: SipBody): SipResponse {
    const req = this.invite;
    const headers: [string, string][] = [];
    if (status > 100 && status < 300) {
      for (const rr of req.headers.getAll('record-route')) headers.push(['Record-Route', rr]);
      headers.push(['Contact', this.ua.contactFor(this.dest.protocol, this.dest.host)]);
      headers.push(['Allow', ALLOW]);
      headers.push(['Supported', SUPPORTED]);
    }
    headers.push(['User-Agent', this.ua.userAgent]);
    if (body) headers.push(['Content-Type', body.contentType]);
    return createResponse(req, status, { toTag: this.localTag, headers, body: body?.body ?? '' });
  }

  /**
   * §13.3.1.4: the UAS repeats its 2xx at T1, 2T1... capped at T2 until the ACK comes; without
   * an ACK after 64*T1 the dialog is confirmed anyway and the session ends with BYE.
   */
  start2xxRetransmission(ok: SipResponse, seq: number): void {
    this.stop2xxRetransmission();
    const { t1, t2 } = this.ua.timers;
    let interval = t1;
    const tick = (): void => {
      this.ua.sendStateless(ok, this.dest);
      interval = Math.min(2 * interval, t2);
      if (this.retransmit2xx) this.retransmit2xx.handle = this.ua.scheduler.set(interval, tick);
    };
    const giveUp = this.ua.scheduler.set(64 * t1, () => {
      this.stop2xxRetransmission();
      this.session.bye();
    });
    this.retransmit2xx = { seq, handle: this.ua.scheduler.set(interval, tick), giveUp };
  }

  stop2xxRetransmission(): void {
    if (this.retransmit2xx) {
      this.ua.scheduler.clear(this.retransmit2xx.handle);
      this.ua.scheduler.clear(this.retransmit2xx.giveUp);
    }
    this.retransmit2xx = undefined;
  }
}
