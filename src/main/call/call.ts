// One call: its SIP session and offer/answer (call-negotiation.ts), what the user sees of its
// protection (call-security.ts) and the media worker that carries its streams (worker-relay.ts).
// AppCore owns calls; a call reports to AppCore through CallHost. Security state only goes up
// within a call (ARCHITECTURE.md).

import type { CallInfo, Codec, EndReason, SecurityInfo, Settings, StreamKind } from '../../shared/api';
import type { SipSession, SipBody } from '../sip';
import type { SipStatusError } from '../sip';
import { addressOfRecord, displayNameOf } from '../sip/address';
import { parseSdp } from '../sdp';
import { checkInitialOffer, offerModes } from './security-policy';
import type { MediaWorker } from '../media/worker-host';
import type { WorkerToMain } from '../media/worker-protocol';
import type { MediaIo } from './media-plan';
import type { CallDeps, CallEvent } from './call-events';
import { CallSecurity } from './call-security';
import { CallNegotiation } from './call-negotiation';
import { WorkerRelay } from './worker-relay';

export { ZRTP_HELLO_TIMEOUT_MS } from './call-security';

export interface CallHost {
  settings(): Settings;
  /** Where this call's media binds, and the address its SDP gives `peer` (the next hop's address). */
  localMedia(peer: string): { bind: string; advertise: string };
  io: MediaIo;
  zid: string;
  zrtpCache(): Record<string, import('../store/zrtp-cache-store').StoredZrtpPeer>;
  persistCacheEntry(peerZid: string, entry: Omit<import('../store/zrtp-cache-store').StoredZrtpPeer, 'updatedAt'>): void;
  /** Records the SIP address's ZID; returns the previous one when it changed. */
  recordIdentity(address: string, zid: string): string | undefined;
  setVerified(peerZid: string, verified: boolean): void;
  changed(call: Call): void;
  securityChanged(call: Call): void;
  stats(call: Call, m: Extract<WorkerToMain, { type: 'stats' }>): void;
  dtmf(call: Call, digit: string): void;
  frame(call: Call, m: Extract<WorkerToMain, { type: 'frame' }>): void;
  keyframeRequest(call: Call): void;
  ended(call: Call): void;
  /** The worker zeroed its keys and closed its sockets: end its thread. */
  releaseWorker(worker: MediaWorker): void;
  /** Timing marks for benchmarks: 'connected', 'sasReady', 'videoSecure', 'firstVideoFrame'. */
  mark?(call: Call, what: string): void;
}

/** The URI a name-addr names, without parameters: the key of the peer's identity. */
function addressOf(nameAddr: string): string {
  return addressOfRecord(nameAddr) ?? nameAddr.trim();
}

export class Call {
  readonly info: CallInfo;
  /** Fixed for the call: the bind address of its media and the address its SDP carries. */
  private readonly local: { bind: string; advertise: string };
  private readonly deps: CallDeps;
  private readonly protection: CallSecurity;
  private readonly relay: WorkerRelay;
  private readonly negotiation: CallNegotiation;
  private prepared: Promise<void> | undefined;
  private endedOnce = false;

  private constructor(
    readonly id: number,
    private readonly host: CallHost,
    direction: 'outgoing' | 'incoming',
    remoteUri: string,
    remoteName: string,
    peer: string,
    invite?: (offer: SipBody) => SipSession,
  ) {
    this.deps = {
      settings: () => host.settings(),
      localMedia: (p) => host.localMedia(p),
      io: host.io,
      zid: host.zid,
      zrtpCache: { peers: () => host.zrtpCache(), setPeer: (zid, entry) => host.persistCacheEntry(zid, entry) },
      identities: { recordIdentity: (address, zid) => host.recordIdentity(address, zid), setVerified: (zid, v) => host.setVerified(zid, v) },
    };
    this.local = host.localMedia(peer);
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
    const notify = (e: CallEvent) => this.notify(e);
    this.protection = new CallSecurity(id, this.deps.identities, notify, {
      remoteAddress: () => addressOf(this.info.remoteUri),
      policy: () => this.deps.settings().mediaSecurity,
      ended: () => this.endedOnce,
      peerOfferedZrtpHash: () => this.negotiation.peerOfferedZrtpHash(),
      reofferWithSdes: () => this.negotiation.reofferWithSdes(),
      rekeyPlain: () => this.negotiation.rekeyPlain(),
      hangupWith: (reason) => this.hangupWith(reason),
    });
    this.relay = new WorkerRelay(this.deps, notify, {
      zrtp: (stream, report) => this.protection.onZrtp(stream, report),
      streamError: (stream, message) => this.protection.warn({ kind: 'zrtp-error', message: `${stream}: ${message}` }),
      mediaActivity: (m) => this.onMediaActivity(m),
    });
    this.negotiation = new CallNegotiation(
      {
        info: this.info,
        advertise: this.local.advertise,
        deps: this.deps,
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

  // ---- setting up -------------------------------------------------------------------------

  /** Starts an outgoing call: worker, audio socket and ZRTP Hello first, then the INVITE. */
  static async outgoing(id: number, host: CallHost, worker: MediaWorker, invite: (offer: SipBody) => SipSession, uri: string, peer = ''): Promise<Call> {
    const call = new Call(id, host, 'outgoing', uri, '', peer, invite);
    await call.relay.attach(worker, { callId: id, role: 'caller', bind: call.local.bind });
    await call.negotiation.sendInvite(offerModes(host.settings().mediaSecurity));
    host.changed(call);
    return call;
  }

  /**
   * An incoming INVITE: the offer is checked against the security policy before anything rings;
   * a refused offer gets 488 with the reason and never reaches the user as a call.
   */
  static incoming(id: number, host: CallHost, session: SipSession): Call | { refused: string; status: number } {
    const offerText = session.remoteBody?.body ?? '';
    const parsed = parseSdp(offerText);
    if (!parsed.ok) return { refused: `malformed SDP offer: ${parsed.error.message}`, status: 400 };
    const decision = checkInitialOffer(parsed.value, host.settings().mediaSecurity);
    if (decision.verdict === 'refuse') return { refused: decision.reason, status: decision.status };
    const from = session.remoteIdentity;
    const call = new Call(id, host, 'incoming', addressOf(from), displayNameOf(from), session.remoteHost);
    call.negotiation.receive(session, parsed.value, decision.streams);
    return call;
  }

  /** Opens the media for an incoming offer while it rings, so answering costs no setup. */
  prepare(worker: MediaWorker): Promise<void> {
    this.prepared ??= (async () => {
      await this.relay.attach(worker, { callId: this.id, role: 'callee', bind: this.local.bind });
      await this.negotiation.openOffered();
    })();
    return this.prepared;
  }

  async answer(): Promise<void> {
    if (this.info.state !== 'incoming' || !this.negotiation.session || !this.negotiation.hasPendingOffer()) throw new Error('no incoming call to answer');
    await this.prepared;
    await this.negotiation.answer();
  }

  reject(code = 603): void {
    this.negotiation.session?.reject(code);
    this.finish('rejected');
  }

  // ---- during the call -----------------------------------------------------------------------

  /** "Add video": a camera stream by re-INVITE, keyed by ZRTP multistream from the audio session. */
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
    this.notify({ type: 'changed' });
  }

  sendDtmf(digits: string): void {
    this.relay.post({ type: 'sendDtmf', digits: digits.toUpperCase() });
  }

  setSasVerified(verified: boolean): void {
    this.relay.post({ type: 'setSasVerified', verified });
    this.protection.setVerified(verified);
  }

  requestKeyframe(): void {
    this.relay.post({ type: 'requestKeyframe', stream: 'video' });
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
    this.notify({ type: 'changed' });
  }

  // ---- state and ending ----------------------------------------------------------------------

  private notify(e: CallEvent): void {
    const h = this.host;
    switch (e.type) {
      case 'changed':
        return h.changed(this);
      case 'securityChanged':
        return h.securityChanged(this);
      case 'stats':
        return h.stats(this, { type: 'stats', streams: e.streams });
      case 'dtmf':
        return h.dtmf(this, e.digit);
      case 'frame':
        return h.frame(this, e.frame);
      case 'keyframeRequest':
        return h.keyframeRequest(this);
      case 'ended':
        return h.ended(this);
      case 'releaseWorker':
        return h.releaseWorker(e.worker);
      case 'mark':
        return h.mark?.(this, e.what);
    }
  }

  private setState(state: CallInfo['state']): void {
    this.info.state = state;
    this.notify({ type: 'changed' });
  }

  private setConnected(): void {
    this.info.connectedAt = Date.now();
    this.notify({ type: 'mark', what: 'connected' });
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
    this.notify({ type: 'changed' });
    this.notify({ type: 'ended' });
  }
}
