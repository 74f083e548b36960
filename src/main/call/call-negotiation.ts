// A call's offer/answer (RFC 3264) over its SIP session: the INVITE with its fallback offers, the
// answer to an incoming offer (or our offer in the 200 when it had none), re-offers both ways
// (video, hold, SDES fallback, ICE restart) each checked by the security policy. What the worker
// runs as a result is call-streams.ts's.

import { randomBytes } from 'node:crypto';
import type { CallInfo, EndReason, SecurityMode, StreamKind } from '../../shared/api';
import type { SipSession, SipBody } from '../sip';
import { SipStatusError } from '../sip';
import { parseSdp, serializeSdp, createOfferAnswer, createOffer, processAnswer, answerOffer, rollbackOffer, holdDirection, resumeDirection, type OfferAnswerState, type NegotiatedStream, type ActiveStream, type SessionDescription, type Direction } from '../sdp';
import { checkReOffer, runningFromNegotiated } from './security-policy';
import type { CallDeps, CallEvent } from './call-events';
import type { CallSecurity } from './call-security';
import type { WorkerRelay } from './worker-relay';
import { newSdesKeys } from './media-plan';
import { offersIce } from './call-ice';
import { CallStreams } from './call-streams';

const SDP = 'application/sdp';

type ReinviteResult = { answer: SipBody } | { reject: number; reason?: string };

/** What negotiation needs from the rest of its call. */
export interface NegotiationContext {
  readonly info: CallInfo;
  /** The address our SDP carries (fixed for the call). */
  readonly advertise: string;
  /** The interface address towards the peer now: our ICE host candidate on a wildcard bind. */
  hostAddress(): string;
  readonly deps: CallDeps;
  readonly security: CallSecurity;
  readonly relay: WorkerRelay;
  notify(e: CallEvent): void;
  ended(): boolean;
  setState(state: CallInfo['state']): void;
  setConnected(): void;
  finish(reason: EndReason, error?: SipStatusError): void;
  hangupWith(reason: EndReason): void;
}

function endReasonFor(status: number): EndReason {
  if (status === 486 || status === 600) return 'busy';
  if (status === 404 || status === 604) return 'not-found';
  if (status === 487) return 'cancelled';
  if (status === 603 || status === 403) return 'rejected';
  if (status === 408 || status === 480) return 'timeout';
  if (status === 488 || status === 606) return 'security-refused';
  return 'failed';
}

function newOfferAnswer(address: string): OfferAnswerState {
  return createOfferAnswer({ sessionId: String(BigInt('0x' + randomBytes(6).toString('hex'))), address });
}

export class CallNegotiation {
  session: SipSession | undefined;
  private oa: OfferAnswerState;
  private readonly streams: CallStreams;
  /** Serialises offers and answers: one negotiation at a time. */
  private busy: Promise<unknown> = Promise.resolve();
  /** A new INVITE replaces a refused one: the old session's end is not the call's end. */
  private retrying = false;
  /** An incoming call's offer, until answered, with the security mode the policy chose per m= line. */
  private pendingOffer: { sdp: SessionDescription; modes: (SecurityMode | undefined)[] } | undefined;
  /**
   * An incoming INVITE without SDP (RFC 3261 §13.2.1, RFC 3264 §2): we offer in the 200 with
   * this security mode and take the answer from the ACK.
   */
  private delayedOffer: SecurityMode | undefined;

  constructor(
    private readonly ctx: NegotiationContext,
    /** Sends an outgoing call's INVITE (undefined for an incoming call). */
    private readonly invite?: (offer: SipBody) => SipSession,
  ) {
    this.oa = newOfferAnswer(ctx.advertise);
    this.streams = new CallStreams(ctx);
    this.streams.iceWanted = this.streams.iceControlling = invite !== undefined;
  }

  isStarted(kind: StreamKind): boolean {
    return this.streams.isStarted(kind);
  }

  /** An incoming call: its session and the offer the policy let through. */
  receive(session: SipSession, sdp: SessionDescription, modes: (SecurityMode | undefined)[]): void {
    this.session = session;
    this.pendingOffer = { sdp, modes };
    this.streams.iceWanted = offersIce(sdp);
    this.watchSession();
  }

  /** An incoming call without an offer: we make the offer, in the 200 (§13.2.1). */
  receiveDelayed(session: SipSession, mode: SecurityMode): void {
    this.session = session;
    this.delayedOffer = mode;
    // We make the first offer: we control ICE (RFC 8445 §6.1.1).
    this.streams.iceWanted = this.streams.iceControlling = true;
    this.watchSession();
  }

  /** Opens the media for the incoming offer while it rings, so answering costs no setup. */
  async openOffered(): Promise<void> {
    if (this.delayedOffer) {
      await this.streams.openStream('audio', this.delayedOffer);
      return;
    }
    const offer = this.pendingOffer!;
    const kinds = new Set<StreamKind>();
    for (const [i, m] of offer.sdp.media.entries()) {
      const mode = offer.modes[i];
      if (!mode || (m.media !== 'audio' && m.media !== 'video') || kinds.has(m.media)) continue;
      kinds.add(m.media);
      await this.streams.openStream(m.media, mode);
    }
  }

  /**
   * Offers ZRTP first; a peer that refuses it with 488 (an SDES-only phone) gets an SDES offer
   * next, if the user allows SDES (ARCHITECTURE.md: "encrypted, not end-to-end").
   */
  async sendInvite(modes: SecurityMode[]): Promise<void> {
    const [mode, ...rest] = modes;
    if (this.streams.has('audio')) this.streams.closeStream('audio');
    await this.streams.openStream('audio', mode);
    this.oa = newOfferAnswer(this.ctx.advertise);
    const offer = this.makeOffer();
    const session = this.invite!({ contentType: SDP, body: offer });
    this.session = session;
    this.watchSession();
    session.on('progress', (status: number) => {
      if (status === 180 || status === 183) this.ctx.setState('ringing');
    });
    session.answered.then(
      (answer) => this.onAnswer(answer),
      (e: unknown) => {
        if (e instanceof SipStatusError && (e.status === 488 || e.status === 606) && rest.length > 0 && !this.ctx.ended()) {
          this.retrying = true;
          void this.sendInvite(rest).finally(() => (this.retrying = false));
          return;
        }
        this.ctx.finish(e instanceof SipStatusError ? endReasonFor(e.status) : 'failed', e instanceof SipStatusError ? e : undefined);
      },
    );
  }

  /**
   * Accepts the pending offer. Without `withVideo` an offered video stream (opened while ringing)
   * is closed first, so the answer declines it with port 0 (RFC 3264 §6).
   */
  async answer(withVideo = true): Promise<void> {
    const session = this.session!;
    if (this.delayedOffer) return this.offerInAnswer(session);
    if (!withVideo && this.streams.has('video')) this.streams.closeStream('video');
    const r = answerOffer(this.oa, this.pendingOffer!.sdp, this.streams.config(offersIce(this.pendingOffer!.sdp)));
    if (!r.ok) {
      session.reject(r.error.status, r.error.message);
      this.ctx.finish('failed');
      return;
    }
    this.oa = r.value.state;
    session.accept({ contentType: SDP, body: serializeSdp(r.value.answer) });
    this.pendingOffer = undefined;
    // The 200 leaves on the next tick (a UDP send waits for its address lookup); the call's events
    // and starting its media wait for that, so the 200 does not wait for them (issue 23). Nothing
    // from the peer is read before a check phase: its ACK and media come after.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.ctx.ended()) return;
    this.ctx.setConnected();
    this.streams.apply(r.value.streams, this.oa.lastRemote);
  }

  hasPendingOffer(): boolean {
    return this.pendingOffer !== undefined || this.delayedOffer !== undefined;
  }

  /**
   * Delayed offer (RFC 3264 §2, RFC 3261 §13.2.1): our offer goes in the 200 and the ACK must
   * carry the answer, which passes the same checks as an answer to our INVITE; an ACK without
   * one ends the call (§13.3.1.4 leaves no other place for it).
   */
  private offerInAnswer(session: SipSession): void {
    this.delayedOffer = undefined;
    this.oa = newOfferAnswer(this.ctx.advertise);
    const offer = this.makeOffer();
    session.once('ack', (answer: SipBody | undefined) => {
      if (!answer || answer.contentType.split(';')[0].trim().toLowerCase() !== SDP) return this.ctx.hangupWith('failed');
      void this.onAnswer(answer);
    });
    session.accept({ contentType: SDP, body: offer });
  }

  /** "Add video": a camera stream by re-INVITE, keyed by ZRTP multistream from the audio session. */
  async addVideo(): Promise<void> {
    const { info, security } = this.ctx;
    if (this.streams.has('video')) return;
    info.video.local = 'adding';
    info.video.declinedByPeer = false;
    this.ctx.notify({ type: 'mark', what: 'addVideo' });
    this.changed();
    try {
      const mode = security.info.mode;
      const streams = await this.reoffer(async () => {
        await this.streams.openStream('video', mode === 'sdes' ? 'sdes' : mode === 'none' ? 'none' : 'zrtp');
      });
      const v = streams.find((s) => s.kind === 'video');
      if (!v || v.status !== 'active') {
        info.video.declinedByPeer = true;
        info.video.local = 'off';
        this.changed();
      }
    } catch (e) {
      this.streams.closeStream('video');
      info.video.declinedByPeer = e instanceof SipStatusError && (e.status === 488 || e.status === 415);
      info.video.local = 'off';
      this.changed();
      throw e;
    }
  }

  async removeVideo(): Promise<void> {
    if (!this.streams.has('video')) return;
    await this.reoffer(() => {
      this.streams.drop('video');
    });
  }

  async hold(on: boolean): Promise<void> {
    await this.reoffer(() => {
      for (const s of this.streams.all()) s.direction = (on ? holdDirection : resumeDirection)(s.direction) as Direction;
    });
  }

  /** The peer has no ZRTP: every open stream offered again with SDES keys (call-security.ts). */
  async reofferWithSdes(): Promise<boolean> {
    if (!this.session || this.ctx.info.state !== 'connected') return false;
    try {
      await this.reoffer(() => {
        for (const s of this.streams.all()) {
          s.security = 'sdes';
          s.sdesKeys = newSdesKeys();
        }
      });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Our ICE restart (RFC 8445 §9): the network changed under the call (a new interface address, a
   * new public address at the router). Every ICE stream gets new credentials and candidates in one
   * re-offer; media stays on the old pair until the new checks select one.
   */
  async restartIce(): Promise<void> {
    if (!this.session || this.ctx.info.state !== 'connected') return;
    if (!this.streams.all().some((st) => st.ice && this.streams.isStarted(st.kind))) return;
    await this.reoffer(() => this.streams.restartIce().then(() => undefined));
  }

  rekeyPlain(): void {
    this.streams.rekeyPlain();
  }

  peerOfferedZrtpHash(): boolean {
    return this.streams.peerOfferedZrtpHash();
  }

  private changed(): void {
    this.ctx.notify({ type: 'changed' });
  }

  private watchSession(): void {
    const s = this.session!;
    s.onReinvite = (offer) => this.onReinvite(offer);
    s.ended.then((end) => {
      if (this.ctx.ended() || this.retrying || s !== this.session) return;
      this.ctx.finish(end.by === 'remote' ? (this.ctx.info.state === 'incoming' ? 'cancelled' : 'remote-hangup') : 'local-hangup');
    });
  }

  private makeOffer(): string {
    const r = createOffer(this.oa, this.streams.config());
    if (!r.ok) throw new Error(r.error.message);
    this.oa = r.value.state;
    return serializeSdp(r.value.offer);
  }

  private async onAnswer(answer: SipBody): Promise<void> {
    const parsed = parseSdp(answer.body);
    if (!parsed.ok) return this.ctx.hangupWith('failed');
    const r = processAnswer(this.oa, parsed.value);
    if (!r.ok) return this.ctx.hangupWith('failed');
    this.oa = r.value.state;
    this.ctx.setConnected();
    this.streams.apply(r.value.streams, this.oa.lastRemote);
  }

  /** A re-offer from the peer (or from a server in the path): the policy decides first. */
  private onReinvite(offer: SipBody): Promise<ReinviteResult> {
    const { info, security, deps } = this.ctx;
    if (offer.body === '') return this.offerInReinviteAnswer();
    return this.serialise(async (): Promise<ReinviteResult> => {
      const parsed = parseSdp(offer.body);
      if (!parsed.ok) return { reject: 488, reason: 'malformed SDP' };
      const decision = checkReOffer(runningFromNegotiated(this.streams.negotiated), parsed.value, deps.settings().mediaSecurity);
      if (decision.verdict === 'refuse') {
        security.warn({ kind: 'policy-refused', message: `Refused a re-INVITE: ${decision.reason}.`, sipStatus: 488 });
        return { reject: 488, reason: decision.reason };
      }
      await this.streams.followPeerRestarts(parsed.value);
      // Open what the offer adds (video), before answering.
      for (const [i, m] of parsed.value.media.entries()) {
        const mode = decision.streams[i];
        if (!mode || (m.media !== 'audio' && m.media !== 'video') || this.streams.has(m.media)) continue;
        await this.streams.openStream(m.media, mode);
      }
      const r = answerOffer(this.oa, parsed.value, this.streams.config(offersIce(parsed.value)));
      if (!r.ok) return { reject: r.error.status, reason: r.error.message };
      this.oa = r.value.state;
      // Our answer's direction mirrors the offer: recvonly (or inactive) means the peer holds us.
      const ours = r.value.streams.find((s): s is ActiveStream => s.status === 'active' && s.kind === 'audio')?.direction;
      info.remoteHeld = ours === 'recvonly' || (ours === 'inactive' && !info.held);
      this.streams.apply(r.value.streams, this.oa.lastRemote);
      this.changed();
      return { answer: { contentType: SDP, body: serializeSdp(r.value.answer) } };
    });
  }

  /**
   * A re-INVITE without an offer (RFC 3261 §14.2, RFC 3264 §8, RFC 6337 §5.1: PBXs send them
   * for hold and transfer): our offer of the session as it is goes in the 200, the answer comes
   * in the ACK. Negotiation stays locked until then; an ACK without an answer leaves the session
   * as it was.
   */
  private offerInReinviteAnswer(): Promise<ReinviteResult> {
    const session = this.session!;
    return new Promise<ReinviteResult>((decided) => {
      void this.serialise(async () => {
        let offer: string;
        try {
          offer = this.makeOffer();
        } catch {
          return decided({ reject: 500 });
        }
        const acked = new Promise<SipBody | undefined>((resolve) => {
          session.once('ack', resolve);
          void session.ended.then(() => resolve(undefined));
        });
        decided({ answer: { contentType: SDP, body: offer } });
        const answer = await acked;
        const parsed = answer && answer.contentType.split(';')[0].trim().toLowerCase() === SDP ? parseSdp(answer.body) : undefined;
        const r = parsed?.ok ? processAnswer(this.oa, parsed.value) : undefined;
        if (!r?.ok) {
          this.oa = rollbackOffer(this.oa);
          return;
        }
        this.oa = r.value.state;
        this.streams.apply(r.value.streams, this.oa.lastRemote);
        this.changed();
      });
    });
  }

  private reoffer(change: () => Promise<void> | void): Promise<NegotiatedStream[]> {
    return this.serialise(async () => {
      await change();
      const offer = this.makeOffer();
      try {
        const answer = await this.session!.reinvite({ contentType: SDP, body: offer });
        const parsed = parseSdp(answer.body);
        if (!parsed.ok) throw new Error('malformed SDP answer');
        const r = processAnswer(this.oa, parsed.value);
        if (!r.ok) throw new Error(r.error.message);
        this.oa = r.value.state;
        this.streams.apply(r.value.streams, this.oa.lastRemote);
        return r.value.streams;
      } catch (e) {
        this.oa = rollbackOffer(this.oa);
        throw e;
      }
    });
  }

  /** Runs one negotiation after the ones before it, whether they succeeded or not. */
  private serialise<T>(run: () => Promise<T>): Promise<T> {
    const p = this.busy.then(run, run);
    this.busy = p.catch(() => undefined);
    return p;
  }
}
