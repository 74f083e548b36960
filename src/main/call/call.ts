// One call: its SIP session and offer/answer (call-negotiation.ts), what the user sees of its
// protection (call-security.ts) and the media worker that carries its streams (worker-relay.ts).
// CallManager owns calls: it hands each its few dependencies (CallDeps) and listens to its typed
// events (CallEvent). Security state only goes up within a call (ARCHITECTURE.md).

import type { CallInfo, Codec, EndReason, SecurityInfo, StreamKind } from '../../shared/api';
import type { SipSession, SipBody } from '../sip';
import type { SipStatusError } from '../sip';
import { addressOfRecord, displayNameOf } from '../sip/address';
import { parseSdp, VP8 } from '../sdp';
import { checkInitialOffer, offerModes } from './security-policy';
import { incompatibleCodecs, incompatibleTransport, offerText } from './offer-intake';
import { audioCodecSpecs } from './media-plan';
import type { OfferRefusal } from './offer-intake';
import type { MediaWorker } from '../media/host/worker-host';
import type { WorkerToMain } from '../media/worker-protocol';
import { CallEvents, type CallDeps, type CallEvent, type CallEventOf, type CallEventType, type LocalMedia } from './call-events';
import { CallSecurity } from './call-security';
import { CallNegotiation } from './call-negotiation';
import { WorkerRelay } from './worker-relay';

/** An incoming call refused before it rang: the response to send and what the error event says. */
export type IncomingRefusal = Pick<OfferRefusal, 'refused' | 'status'> & Partial<Pick<OfferRefusal, 'reason' | 'headers'>> & { scope: 'call' | 'security' };

/** The URI a name-addr names, without parameters: the key of the peer's identity. */
function addressOf(nameAddr: string): string {
  return addressOfRecord(nameAddr) ?? nameAddr.trim();
}

/**
 * Public members: the call commands of api.ts one for one (answer, reject, hangup, hold, mute,
 * sendDtmf, addVideo, removeVideo, setSasVerified, requestKeyframe, frames), plus its identity,
 * state, events and start; that is more than fifteen because the API has that many commands.
 */
export class Call {
  readonly info: CallInfo;
  /** Fixed for the call: the bind address of its media and the address its SDP carries. */
  private readonly local: LocalMedia;
  private readonly events = new CallEvents();
  private readonly protection: CallSecurity;
  private readonly relay: WorkerRelay;
  private readonly negotiation: CallNegotiation;
  /** start(): the worker taken, and the INVITE sent or the offered streams opened. */
  private started: Promise<void> | undefined;
  private endedOnce = false;

  private constructor(
    readonly id: number,
    private readonly deps: CallDeps,
    direction: 'outgoing' | 'incoming',
    remoteUri: string,
    remoteName: string,
    peer: string,
    invite?: (offer: SipBody) => SipSession,
  ) {
    this.local = deps.localMedia(peer);
    this.info = {
      callId: id,
      direction,
      state: direction === 'outgoing' ? 'calling' : 'incoming',
      remoteUri,
      remoteName,
      startedAt: Date.now(),
      held: false,
      remoteHeld: false,
      muted: false,
      video: { local: 'off', remote: 'off', declinedByPeer: false },
    };
    const notify = (e: CallEvent) => this.events.emit(e);
    this.protection = new CallSecurity(id, deps.identities, notify, {
      remoteAddress: () => addressOf(this.info.remoteUri),
      policy: () => deps.settings().mediaSecurity,
      ended: () => this.endedOnce,
      peerOfferedZrtpHash: () => this.negotiation.peerOfferedZrtpHash(),
      reofferWithSdes: () => this.negotiation.reofferWithSdes(),
      rekeyPlain: () => this.negotiation.rekeyPlain(),
      hangupWith: (reason) => this.hangupWith(reason),
    });
    this.relay = new WorkerRelay(deps, notify, {
      zrtp: (stream, report) => this.protection.onZrtp(stream, report),
      streamError: (stream, message) => this.protection.warn({ kind: 'zrtp-error', message: `${stream}: ${message}` }),
      mediaActivity: (m) => this.onMediaActivity(m),
      consentLost: () => void this.negotiation.restartIce().catch(() => undefined),
    });
    this.negotiation = new CallNegotiation(
      {
        info: this.info,
        advertise: this.local.advertise,
        hostAddress: () => deps.localMedia(peer).local,
        deps,
        security: this.protection,
        relay: this.relay,
        notify,
        ended: () => this.endedOnce,
        setState: (state) => this.setState(state),
        setConnected: () => this.setConnected(),
        finish: (reason, error) => this.finish(reason, error),
        hangupWith: (reason) => this.hangupWith(reason),
      },
      invite,
    );
  }

  get security(): SecurityInfo {
    return this.protection.info;
  }

  /** The call's SIP session (transfer.ts sends REFER on it and matches Replaces to it). */
  get sipSession(): SipSession | undefined {
    return this.negotiation.session;
  }

  /** Listens to one type of the call's events; returns the function that stops listening. */
  on<T extends CallEventType>(type: T, listener: (e: CallEventOf<T>) => void): () => void {
    return this.events.on(type, listener);
  }

  // ---- setting up -------------------------------------------------------------------------

  /** An outgoing call to `uri`, not started yet: listen to its events, then start() it. */
  static outgoing(id: number, deps: CallDeps, invite: (offer: SipBody) => SipSession, uri: string, peer = ''): Call {
    return new Call(id, deps, 'outgoing', uri, '', peer, invite);
  }

  /**
   * An incoming INVITE: the offer is checked against the security policy before anything rings;
   * a refused offer gets 488 with the reason and never reaches the user as a call.
   */
  static incoming(id: number, deps: CallDeps, session: SipSession): Call | IncomingRefusal {
    // The body first (offer-intake.ts): its type, coding and the caller's Accept.
    const text = offerText({ header: (name) => session.requestHeader(name), body: session.remoteBody?.body ?? '' });
    if ('refused' in text) return { ...text, scope: 'call' };
    const from = session.remoteIdentity;
    if (text.sdp === undefined) {
      // A delayed offer (§13.2.1): we offer in the 200, with the policy's first choice.
      const call = new Call(id, deps, 'incoming', addressOf(from), displayNameOf(from), session.remoteHost);
      call.negotiation.receiveDelayed(session, offerModes(deps.settings().mediaSecurity)[0]);
      return call;
    }
    const parsed = parseSdp(text.sdp);
    if (!parsed.ok) return { refused: `malformed SDP offer: ${parsed.error.message}`, status: 400, scope: 'call' };
    const host = deps.localMedia(session.remoteHost).advertise;
    const transport = incompatibleTransport(parsed.value, host) ?? incompatibleCodecs(parsed.value, host, { audio: audioCodecSpecs(deps.io.audioCodecs), video: [VP8] });
    if (transport) return { ...transport, scope: 'call' };
    const decision = checkInitialOffer(parsed.value, deps.settings().mediaSecurity);
    if (decision.verdict === 'refuse') return { refused: decision.reason, status: decision.status, scope: 'security' };
    const call = new Call(id, deps, 'incoming', addressOf(from), displayNameOf(from), session.remoteHost);
    call.negotiation.receive(session, parsed.value, decision.streams);
    return call;
  }

  /**
   * Takes the call's media worker. An outgoing call opens its audio socket and starts its ZRTP
   * Hello first, then sends the INVITE; an incoming one opens the offered streams while it rings,
   * so answering costs no setup.
   */
  start(worker: MediaWorker): Promise<void> {
    this.started ??= (async () => {
      const outgoing = this.info.direction === 'outgoing';
      await this.relay.attach(worker, { callId: this.id, role: outgoing ? 'caller' : 'callee', bind: this.local.bind });
      if (!outgoing) return this.negotiation.openOffered();
      await this.negotiation.sendInvite(offerModes(this.deps.settings().mediaSecurity));
      this.events.emit({ type: 'changed' });
    })();
    return this.started;
  }

  /** `video: false` answers with audio only: an offered video stream is declined. */
  async answer(video = true): Promise<void> {
    if (this.info.state !== 'incoming' || !this.negotiation.session || !this.negotiation.hasPendingOffer()) throw new Error('no incoming call to answer');
    await this.started;
    await this.negotiation.answer(video);
  }

  reject(code = 603): void {
    this.negotiation.session?.reject(code);
    this.finish('rejected');
  }

  // ---- during the call -----------------------------------------------------------------------

  /** "Add video": a camera stream by re-INVITE, keyed by ZRTP multistream from the audio session. */
  /** The network changed under the call: restart ICE (new candidates, one re-offer). */
  restartIce(): Promise<void> {
    return this.negotiation.restartIce();
  }

  async addVideo(): Promise<void> {
    if (this.info.state !== 'connected') throw new Error('the call is not connected');
    await this.negotiation.addVideo();
  }

  removeVideo(): Promise<void> {
    return this.negotiation.removeVideo();
  }

  async hold(on: boolean): Promise<void> {
    if (this.info.state !== 'connected' && this.info.state !== 'held') throw new Error('the call is not connected');
    await this.negotiation.hold(on);
    this.info.held = on;
    this.setState(on ? 'held' : 'connected');
  }

  mute(on: boolean): void {
    this.info.muted = on;
    this.relay.post({ type: 'mute', on });
    this.events.emit({ type: 'changed' });
  }

  sendDtmf(digits: string): void {
    this.relay.post({ type: 'sendDtmf', digits: digits.toUpperCase() });
  }

  setSasVerified(verified: boolean): void {
    this.relay.post({ type: 'setSasVerified', verified });
    this.protection.setVerified(verified);
  }

  requestKeyframe(): void {
    this.relay.post({ type: 'requestKeyframeFromPeer', stream: 'video' });
  }

  sendFrame(stream: StreamKind, codec: Codec, timestamp: number, keyframe: boolean, payload: Uint8Array): void {
    if (!this.negotiation.isStarted(stream)) return;
    this.relay.sendFrame(stream, codec, this.info.codecs?.[stream], timestamp, keyframe, payload);
  }

  /**
   * The worker's liveness verdict (media-liveness.ts): silence shows as "reconnecting…", and a
   * peer silent for the whole timeout is gone (killed, network lost): BYE, 'connection-lost'.
   */
  private onMediaActivity(m: Extract<WorkerToMain, { type: 'mediaActivity' }>): void {
    if (this.endedOnce || (this.info.state !== 'connected' && this.info.state !== 'held')) return;
    if (m.state === 'lost') {
      this.info.reconnecting = false;
      this.hangupWith('connection-lost');
      return;
    }
    const reconnecting = m.state === 'stalled';
    if (!!this.info.reconnecting === reconnecting) return;
    this.info.reconnecting = reconnecting;
    this.events.emit({ type: 'changed' });
  }

  // ---- state and ending ----------------------------------------------------------------------

  private setState(state: CallInfo['state']): void {
    this.info.state = state;
    this.events.emit({ type: 'changed' });
  }

  private setConnected(): void {
    this.info.connectedAt = Date.now();
    this.events.emit({ type: 'mark', what: 'connected' });
    this.setState('connected');
  }

  hangup(): void {
    this.hangupWith('local-hangup');
  }

  hangupWith(reason: EndReason): void {
    this.negotiation.session?.bye();
    this.finish(reason);
  }

  private finish(reason: EndReason, error?: SipStatusError): void {
    if (this.endedOnce) return;
    this.endedOnce = true;
    this.protection.stop();
    this.info.state = 'ended';
    this.info.endedAt = Date.now();
    this.info.endReason = reason;
    if (error) {
      this.info.sipStatus = error.status;
      this.info.sipReason = error.reason;
    }
    this.relay.close();
    this.events.emit({ type: 'changed' });
    this.events.emit({ type: 'ended' });
  }
}
