// One call: its SIP session, its offer/answer state, the security policy for every re-offer, and
// the media worker that carries its streams. AppCore owns calls; a call reports to AppCore
// through CallHost. Security state only goes up within a call (ARCHITECTURE.md).

import { randomBytes } from 'node:crypto';
import type { CallInfo, Codec, EndReason, SecurityInfo, SecurityMode, SecurityWarning, Settings, StreamKind } from '../../shared/api';
import type { SipSession, SipBody } from '../sip';
import { SipStatusError } from '../sip';
import { parseSdp, serializeSdp, createOfferAnswer, createOffer, processAnswer, answerOffer, rollbackOffer, holdDirection, resumeDirection, type OfferAnswerState, type NegotiatedStream, type ActiveStream, type SessionDescription, type Direction } from '../sdp';
import { checkInitialOffer, checkReOffer, offerModes, runningFromNegotiated, securityLabel } from './security-policy';
import type { MediaWorker } from '../media/worker-host';
import type { WorkerToMain, ZrtpReport } from '../media/worker-protocol';
import { localMediaConfig, newSdesKeys, streamStart, type MediaIo, type OpenStream } from './media-plan';
import { CODEC_MISMATCH, FrameCodecGate } from './frame-codec-gate';

const SDP = 'application/sdp';
const CODEC_NAMES = { PCMU: 'pcmu', PCMA: 'pcma', opus: 'opus', VP8: 'vp8' } as const;
/** Without a ZRTP Hello by then, a peer does not speak ZRTP (RFC 6189 §4.1 leaves the time open). */
export const ZRTP_HELLO_TIMEOUT_MS = 5000;
/** Warnings kept per call (see warn()). */
const MAX_WARNINGS = 16;

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

function addressOf(nameAddr: string): string {
  const m = /<([^>]+)>/.exec(nameAddr);
  const uri = (m ? m[1] : nameAddr.split(';')[0]).trim();
  return uri.split(';')[0];
}

function displayNameOf(nameAddr: string): string {
  const m = /^\s*"((?:[^"\\]|\\.)*)"/.exec(nameAddr) ?? /^\s*([^<"]+?)\s*</.exec(nameAddr);
  return m ? m[1].replace(/\\(.)/g, '$1') : '';
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

export class Call {
  readonly info: CallInfo;
  /** Fixed for the call: the bind address of its media and the address its SDP carries. */
  private readonly local: { bind: string; advertise: string };
  readonly security: SecurityInfo;
  private oa: OfferAnswerState;
  private negotiated: NegotiatedStream[] = [];
  private readonly open = new Map<StreamKind, OpenStream>();
  private readonly started = new Set<StreamKind>();
  private worker: MediaWorker | undefined;
  private offListen: (() => void) | undefined;
  private helloTimer: ReturnType<typeof setTimeout> | undefined;
  private protectFailures = 0;
  private endedOnce = false;
  /** Serialises offers and answers: one negotiation at a time. */
  private busy: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly id: number,
    private readonly host: CallHost,
    private session: SipSession | undefined,
    direction: 'outgoing' | 'incoming',
    remoteUri: string,
    remoteName: string,
    peer: string,
  ) {
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
    this.security = {
      callId: id,
      mode: 'zrtp',
      state: 'none',
      sas: '',
      sasType: '',
      verified: false,
      label: securityLabel('zrtp'),
      peerZid: '',
      details: { keyAgreement: '', cipher: '', hash: '', authTag: '', sasType: '', srtpSuite: '' },
      perStream: {},
      warnings: [],
    };
    this.oa = createOfferAnswer({ sessionId: String(BigInt('0x' + randomBytes(6).toString('hex'))), address: this.local.advertise });
  }

  get remoteAddress(): string {
    return addressOf(this.info.remoteUri);
  }

  get totalProtectFailures(): number {
    return this.protectFailures;
  }

  // ---- setting up -------------------------------------------------------------------------

  /** Starts an outgoing call: worker, audio socket and ZRTP Hello first, then the INVITE. */
  static async outgoing(id: number, host: CallHost, worker: MediaWorker, invite: (offer: SipBody) => SipSession, uri: string, peer = ''): Promise<Call> {
    const call = new Call(id, host, undefined, 'outgoing', uri, '', peer);
    call.invite = invite;
    await call.attachWorker(worker, 'caller');
    await call.sendInvite(offerModes(host.settings().mediaSecurity));
    host.changed(call);
    return call;
  }

  private invite: ((offer: SipBody) => SipSession) | undefined;

  /**
   * Offers ZRTP first; a peer that refuses it with 488 (an SDES-only phone) gets an SDES offer
   * next, if the user allows SDES (ARCHITECTURE.md: "encrypted, not end-to-end").
   */
  private async sendInvite(modes: SecurityMode[]): Promise<void> {
    const [mode, ...rest] = modes;
    if (this.open.has('audio')) await this.closeStream('audio');
    await this.openStream('audio', mode);
    this.oa = createOfferAnswer({ sessionId: String(BigInt('0x' + randomBytes(6).toString('hex'))), address: this.local.advertise });
    const offer = this.makeOffer();
    const session = this.invite!({ contentType: SDP, body: offer });
    this.session = session;
    this.watchSession();
    session.on('progress', (status: number) => {
      if (status === 180 || status === 183) this.setState('ringing');
    });
    session.answered.then(
      (answer) => this.onAnswer(answer),
      (e: unknown) => {
        if (e instanceof SipStatusError && (e.status === 488 || e.status === 606) && rest.length > 0 && !this.endedOnce) {
          this.retrying = true;
          void this.sendInvite(rest).finally(() => (this.retrying = false));
          return;
        }
        this.finish(e instanceof SipStatusError ? endReasonFor(e.status) : 'failed', e instanceof SipStatusError ? e : undefined);
      },
    );
  }

  /** A new INVITE replaces a refused one: the old session's end is not the call's end. */
  private retrying = false;

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
    const call = new Call(id, host, session, 'incoming', addressOf(from), displayNameOf(from), session.remoteHost);
    call.pendingOffer = { sdp: parsed.value, modes: decision.streams };
    call.watchSession();
    return call;
  }

  private pendingOffer: { sdp: SessionDescription; modes: (string | undefined)[] } | undefined;
  private prepared: Promise<void> | undefined;

  /** Opens the media for an incoming offer while it rings, so answering costs no setup. */
  prepare(worker: MediaWorker): Promise<void> {
    this.prepared ??= (async () => {
      await this.attachWorker(worker, 'callee');
      const offer = this.pendingOffer!;
      const kinds = new Set<StreamKind>();
      for (const [i, m] of offer.sdp.media.entries()) {
        const mode = offer.modes[i];
        if (!mode || (m.media !== 'audio' && m.media !== 'video') || kinds.has(m.media)) continue;
        kinds.add(m.media);
        await this.openStream(m.media, mode as OpenStream['security']);
      }
    })();
    return this.prepared;
  }

  async answer(): Promise<void> {
    if (this.info.state !== 'incoming' || !this.session || !this.pendingOffer) throw new Error('no incoming call to answer');
    await this.prepared;
    const r = answerOffer(this.oa, this.pendingOffer.sdp, this.config());
    if (!r.ok) {
      this.session.reject(r.error.status, r.error.message);
      this.finish('failed');
      return;
    }
    this.oa = r.value.state;
    this.session.accept({ contentType: SDP, body: serializeSdp(r.value.answer) });
    this.pendingOffer = undefined;
    this.setConnected();
    await this.applyStreams(r.value.streams);
  }

  reject(code = 603): void {
    this.session?.reject(code);
    this.finish('rejected');
  }

  private async attachWorker(worker: MediaWorker, role: 'caller' | 'callee'): Promise<void> {
    this.worker = worker;
    this.offListen = worker.onMessage((m) => this.onWorker(m));
    await worker.ready;
    const s = this.host.settings();
    worker.post({
      type: 'init',
      callId: this.id,
      zid: this.host.zid,
      cache: this.host.zrtpCache(),
      preferences: { keyAgreements: s.zrtp.keyAgreement, sasTypes: [s.zrtp.sasType, s.zrtp.sasType === 'B32' ? 'B256' : 'B32'] },
      role,
      host: this.local.bind,
      mediaTimeoutMs: s.mediaTimeoutSeconds * 1000,
    });
  }

  private openStream(kind: StreamKind, security: OpenStream['security']): Promise<OpenStream> {
    const w = this.worker!;
    const opened = w.waitFor((m): m is Extract<WorkerToMain, { type: 'streamOpened' }> => m.type === 'streamOpened' && m.stream === kind, 5000);
    // rtcp-mux is offered, but a peer may decline it (baresip does) and then sends RTCP to the
    // next port (RFC 5761 §5.1.1): bind that one too, unused when mux is agreed.
    // rtcp-mux is offered, but a peer may decline it (baresip does) and then sends RTCP to the
    // next port (RFC 5761 §5.1.1): bind that one too, unused when mux is agreed.
    w.post({ type: 'openStream', stream: kind, rtcpMux: false });
    return opened.then((m) => {
      const s: OpenStream = { kind, rtpPort: m.rtpPort, rtcpPort: m.rtcpPort, helloHash: m.helloHash, security, direction: 'sendrecv', sdesKeys: security === 'sdes' ? newSdesKeys() : undefined };
      this.open.set(kind, s);
      return s;
    });
  }

  private config() {
    return localMediaConfig(this.local.advertise, [...this.open.values()], this.host.io);
  }

  private makeOffer(): string {
    const r = createOffer(this.oa, this.config());
    if (!r.ok) throw new Error(r.error.message);
    this.oa = r.value.state;
    return serializeSdp(r.value.offer);
  }

  private async onAnswer(answer: SipBody): Promise<void> {
    const parsed = parseSdp(answer.body);
    if (!parsed.ok) return this.hangupWith('failed');
    const r = processAnswer(this.oa, parsed.value);
    if (!r.ok) return this.hangupWith('failed');
    this.oa = r.value.state;
    this.setConnected();
    await this.applyStreams(r.value.streams);
  }

  private setConnected(): void {
    this.info.connectedAt = Date.now();
    this.host.mark?.(this, 'connected');
    this.setState('connected');
  }

  /** Starts new negotiated streams, updates running ones, closes the ones that went away. */
  private async applyStreams(streams: NegotiatedStream[]): Promise<void> {
    this.negotiated = streams;
    const active = new Map<StreamKind, ActiveStream>();
    for (const s of streams) if (s.status === 'active' && (s.kind === 'audio' || s.kind === 'video') && !active.has(s.kind)) active.set(s.kind, s);
    for (const kind of [...this.open.keys()]) {
      if (!active.has(kind)) await this.closeStream(kind, streams.find((s) => s.kind === kind && s.status !== 'active'));
    }
    for (const [kind, s] of active) {
      const w = this.worker!;
      if (this.started.has(kind)) {
        w.post({ type: 'updateStream', stream: kind, direction: s.direction });
        // Our own re-offer moved the stream from ZRTP (no Hello came) to SDES: new keys.
        if (this.keyedAs.get(kind) !== s.security && s.security !== 'zrtp') {
          const start = streamStart(s, this.host.io);
          if (typeof start !== 'string') w.post({ type: 'rekeyStream', stream: kind, security: start.security });
          this.keyedAs.set(kind, s.security);
          this.noteKeying(kind, s);
        }
        continue;
      }
      const start = streamStart(s, this.host.io, this.testInitialSequence);
      if (typeof start === 'string') {
        await this.closeStream(kind);
        continue;
      }
      this.started.add(kind);
      this.keyedAs.set(kind, s.security);
      w.post({ type: 'startStream', ...start });
      this.info.codecs = { ...this.info.codecs, [kind]: CODEC_NAMES[start.codec.name] };
      // The renderer encodes for the negotiated codec (CallInfo.codecs): tell it at once.
      this.host.changed(this);
      if (s.security !== 'zrtp') {
        this.noteKeying(kind, s);
      } else {
        // ZRTP may have finished already (the peer's Hello came before its 200 OK): never step
        // a stream's security back down.
        this.security.perStream[kind] ??= { state: 'securing', multistream: kind !== 'audio' };
        if (kind === 'audio' && this.security.state === 'none') {
          this.security.state = 'securing';
          this.armHelloTimer();
        }
        this.host.securityChanged(this);
      }
      if (kind === 'video') {
        this.info.video.local = 'on';
        this.info.video.remote = s.direction === 'sendrecv' || s.direction === 'recvonly' ? 'on' : 'off';
        this.host.changed(this);
      }
    }
  }

  /** The peer turned out to have no ZRTP, and the policy has been applied to that. */
  private noZrtpHandled = false;

  /** The worker saw a ZRTP Hello from the peer on some stream. */
  private helloSeen = false;

  /**
   * The peer has shown it speaks ZRTP: a Hello in the media path, or a=zrtp-hash in its SDP
   * (RFC 6189 §8.1). From then on a handshake that does not finish is an attack or a fault, never
   * a reason to fall back to SDES or plain RTP: someone on the path who drops Commit must not be
   * able to turn the call into one whose keys servers can read.
   */
  private peerSpokeZrtp(): boolean {
    return this.helloSeen || this.security.peerZid !== '' || this.negotiated.some((s) => s.status === 'active' && s.remoteZrtpHash !== undefined);
  }

  /** A ZRTP handshake the peer started did not finish: end the call, never downgrade it. */
  private refuseStalledZrtp(why: string): void {
    if (this.endedOnce) return;
    this.noZrtpHandled = true;
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.security.state = 'failed';
    this.warn({ kind: 'zrtp-error', message: `the peer speaks ZRTP but the handshake ${why}: the call was ended rather than continued with weaker protection (something in the path may be blocking ZRTP).` });
    this.hangupWith('security-refused');
  }

  /**
   * The peer's SDP promised ZRTP, yet not one packet of it arrived: the media path itself is
   * blocked (both sides behind NATs that map per destination, or a firewall), not the handshake.
   * Without ICE/TURN there is no other path: say so, and still refuse any weaker protection.
   */
  private endWithoutMedia(): void {
    if (this.endedOnce) return;
    this.noZrtpHandled = true;
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.security.state = 'failed';
    this.warn({
      kind: 'zrtp-error',
      message:
        'no media reached us from the other side, although it speaks ZRTP: a NAT or firewall between you blocks a direct connection (calls through such networks need a relay), or something in the path drops it. The call was ended rather than continued with weaker protection.',
    });
    this.host.securityChanged(this);
    this.hangupWith('security-refused');
  }

  /** How each started stream is keyed now. */
  private readonly keyedAs = new Map<StreamKind, SecurityMode>();

  /** A stream keyed by SDES (or left plain): what the user sees. */
  private noteKeying(kind: StreamKind, s: ActiveStream): void {
    this.security.mode = s.security;
    this.security.label = securityLabel(s.security);
    this.security.state = s.security === 'sdes' ? 'secure' : 'none';
    // The suite the SDES answer settled on (RFC 4568 §7.1.2), shown like ZRTP's.
    if (kind === 'audio' && s.sdes) this.security.details.srtpSuite = s.sdes.local.suite;
    this.security.perStream[kind] = { state: this.security.state, multistream: false };
    this.host.securityChanged(this);
  }

  /** Tests start RTP sequence numbers near 65535 to cross the SRTP ROC wrap. */
  testInitialSequence: number | undefined;

  private async closeStream(kind: StreamKind, why?: NegotiatedStream): Promise<void> {
    this.open.delete(kind);
    this.started.delete(kind);
    delete this.security.perStream[kind];
    this.worker?.post({ type: 'closeStream', stream: kind });
    if (kind === 'video') {
      this.info.video.local = 'off';
      this.info.video.remote = 'off';
      if (why && why.status === 'rejected') this.info.video.declinedByPeer = true;
      this.host.changed(this);
    }
  }

  private armHelloTimer(): void {
    if (this.helloTimer) return;
    this.helloTimer = setTimeout(() => void this.onNoZrtp(), ZRTP_HELLO_TIMEOUT_MS);
  }

  /**
   * No ZRTP Hello came: the peer does not speak ZRTP. With SDES allowed, re-offer the streams
   * with SDES keys (protection goes up from nothing); with plain RTP allowed, go on unencrypted;
   * otherwise, or when the SDES re-offer fails, end the call (ARCHITECTURE.md: encryption is
   * required by default).
   */
  private async onNoZrtp(): Promise<void> {
    if (this.security.sas || this.endedOnce || this.noZrtpHandled) return;
    if (this.peerSpokeZrtp() && !this.helloSeen && this.security.peerZid === '') return this.endWithoutMedia();
    if (this.peerSpokeZrtp()) return this.refuseStalledZrtp(`did not finish within ${ZRTP_HELLO_TIMEOUT_MS / 1000} s`);
    this.noZrtpHandled = true;
    if (this.helloTimer) clearTimeout(this.helloTimer);
    const policy = this.host.settings().mediaSecurity;
    this.security.state = 'failed';
    this.security.warnings.push({ kind: 'zrtp-error', message: 'the peer did not start ZRTP: this call cannot be encrypted end to end.' });
    this.host.securityChanged(this);
    // An SDES re-offer is RTP/SAVP: a peer without SRTP would reject the stream outright, so a
    // user who allowed plain RTP keeps the call plain instead of risking its audio.
    if (policy === 'allow-sdes' && this.session && this.info.state === 'connected') {
      try {
        await this.reoffer(() => {
          for (const s of this.open.values()) {
            s.security = 'sdes';
            s.sdesKeys = newSdesKeys();
          }
        });
        if (this.security.mode === 'sdes') return;
      } catch {
        // The peer refused SDES too: fall through.
      }
    }
    if (policy === 'allow-unencrypted' && !this.endedOnce) {
      for (const kind of this.started) {
        this.worker?.post({ type: 'rekeyStream', stream: kind, security: { mode: 'none' } });
        this.keyedAs.set(kind, 'none');
      }
      this.security.mode = 'none';
      this.security.label = securityLabel('none');
      this.security.state = 'none';
      this.host.securityChanged(this);
      return;
    }
    this.hangupWith('security-refused');
  }

  // ---- during the call -----------------------------------------------------------------------

  private watchSession(): void {
    const s = this.session!;
    s.onReinvite = (offer) => this.onReinvite(offer);
    s.ended.then((end) => {
      if (this.endedOnce || this.retrying || s !== this.session) return;
      this.finish(end.by === 'remote' ? (this.info.state === 'incoming' ? 'cancelled' : 'remote-hangup') : 'local-hangup');
    });
  }

  /** A re-offer from the peer (or from a server in the path): the policy decides first. */
  private onReinvite(offer: SipBody): Promise<{ answer: SipBody } | { reject: number; reason?: string }> {
    const run = async (): Promise<{ answer: SipBody } | { reject: number; reason?: string }> => {
      const parsed = parseSdp(offer.body);
      if (!parsed.ok) return { reject: 488, reason: 'malformed SDP' };
      const decision = checkReOffer(runningFromNegotiated(this.negotiated), parsed.value, this.host.settings().mediaSecurity);
      if (decision.verdict === 'refuse') {
        this.warn({ kind: 'policy-refused', message: `Refused a re-INVITE: ${decision.reason}.`, sipStatus: 488 });
        return { reject: 488, reason: decision.reason };
      }
      // Open what the offer adds (video), before answering.
      for (const [i, m] of parsed.value.media.entries()) {
        const mode = decision.streams[i];
        if (!mode || (m.media !== 'audio' && m.media !== 'video') || this.open.has(m.media)) continue;
        await this.openStream(m.media, mode);
      }
      const r = answerOffer(this.oa, parsed.value, this.config());
      if (!r.ok) return { reject: r.error.status, reason: r.error.message };
      this.oa = r.value.state;
      // Our answer's direction mirrors the offer: recvonly (or inactive) means the peer holds us.
      const ours = r.value.streams.find((s): s is ActiveStream => s.status === 'active' && s.kind === 'audio')?.direction;
      this.info.remoteHeld = ours === 'recvonly' || (ours === 'inactive' && !this.info.held);
      await this.applyStreams(r.value.streams);
      this.host.changed(this);
      return { answer: { contentType: SDP, body: serializeSdp(r.value.answer) } };
    };
    const p = this.busy.then(run, run);
    this.busy = p.catch(() => undefined);
    return p;
  }

  private async reoffer(change: () => Promise<void> | void): Promise<NegotiatedStream[] | undefined> {
    const run = async () => {
      await change();
      const offer = this.makeOffer();
      try {
        const answer = await this.session!.reinvite({ contentType: SDP, body: offer });
        const parsed = parseSdp(answer.body);
        if (!parsed.ok) throw new Error('malformed SDP answer');
        const r = processAnswer(this.oa, parsed.value);
        if (!r.ok) throw new Error(r.error.message);
        this.oa = r.value.state;
        await this.applyStreams(r.value.streams);
        return r.value.streams;
      } catch (e) {
        this.oa = rollbackOffer(this.oa);
        throw e;
      }
    };
    const p = this.busy.then(run, run);
    this.busy = p.catch(() => undefined);
    return p;
  }

  /** "Add video": a camera stream by re-INVITE, keyed by ZRTP multistream from the audio session. */
  async addVideo(): Promise<void> {
    if (this.info.state !== 'connected') throw new Error('the call is not connected');
    if (this.open.has('video')) return;
    this.info.video.local = 'adding';
    this.info.video.declinedByPeer = false;
    this.host.mark?.(this, 'addVideo');
    this.host.changed(this);
    try {
      const streams = await this.reoffer(async () => {
        await this.openStream('video', this.security.mode === 'sdes' ? 'sdes' : this.security.mode === 'none' ? 'none' : 'zrtp');
      });
      const v = streams?.find((s) => s.kind === 'video');
      if (!v || v.status !== 'active') {
        this.info.video.declinedByPeer = true;
        this.info.video.local = 'off';
        this.host.changed(this);
      }
    } catch (e) {
      await this.closeStream('video');
      this.info.video.declinedByPeer = e instanceof SipStatusError && (e.status === 488 || e.status === 415);
      this.info.video.local = 'off';
      this.host.changed(this);
      throw e;
    }
  }

  async removeVideo(): Promise<void> {
    if (!this.open.has('video')) return;
    await this.reoffer(() => {
      this.open.delete('video');
    });
  }

  async hold(on: boolean): Promise<void> {
    if (this.info.state !== 'connected' && this.info.state !== 'held') throw new Error('the call is not connected');
    await this.reoffer(() => {
      for (const s of this.open.values()) s.direction = (on ? holdDirection : resumeDirection)(s.direction) as Direction;
    });
    this.info.held = on;
    this.setState(on ? 'held' : 'connected');
  }

  mute(on: boolean): void {
    this.info.muted = on;
    this.worker?.post({ type: 'mute', on });
    this.host.changed(this);
  }

  sendDtmf(digits: string): void {
    this.worker?.post({ type: 'sendDtmf', digits: digits.toUpperCase() });
  }

  setSasVerified(verified: boolean): void {
    this.worker?.post({ type: 'setSasVerified', verified });
    this.security.verified = verified;
    if (this.security.peerZid) this.host.setVerified(this.security.peerZid, verified);
    if (verified) this.security.warnings = this.security.warnings.filter((w) => w.kind !== 'cache-mismatch' && w.kind !== 'new-identity');
    this.host.securityChanged(this);
  }

  requestKeyframe(): void {
    this.worker?.post({ type: 'requestKeyframe', stream: 'video' });
  }

  private readonly frameCodecs = new FrameCodecGate();

  sendFrame(stream: StreamKind, codec: Codec, timestamp: number, keyframe: boolean, payload: Uint8Array): void {
    if (!this.started.has(stream)) return;
    if (!this.frameCodecs.admit(stream, codec, this.info.codecs?.[stream])) return;
    this.worker?.post({ type: 'frame', stream, timestamp, keyframe, payload });
  }

  // ---- worker reports ------------------------------------------------------------------------

  private onWorker(m: WorkerToMain): void {
    switch (m.type) {
      case 'zrtp':
        this.onZrtp(m.stream, m.report);
        return;
      case 'cacheUpdate':
        this.host.persistCacheEntry(m.peerZid, m.entry);
        return;
      case 'stats':
        this.protectFailures = m.streams.reduce((n, s) => n + s.protectFailures, 0);
        for (const s of m.streams) {
          const dropped = this.frameCodecs.droppedFor(s.stream);
          if (dropped > 0) s.dropped[CODEC_MISMATCH] = dropped;
        }
        this.host.stats(this, m);
        return;
      case 'dtmf':
        this.host.dtmf(this, m.digit);
        return;
      case 'frame':
        this.host.frame(this, m);
        return;
      case 'keyframeRequest':
        this.host.keyframeRequest(this);
        return;
      case 'firstFrame':
        if (m.stream === 'video') this.host.mark?.(this, 'firstVideoFrame');
        return;
      case 'streamError':
        this.warn({ kind: 'zrtp-error', message: `${m.stream}: ${m.message}` });
        return;
      case 'mediaActivity':
        this.onMediaActivity(m);
        return;
      default:
        return;
    }
  }

  /**
   * A hostile server can send refusable re-INVITEs without end, and every security event carries
   * the whole list: a repeated warning moves to the end instead of piling up, and the list stays
   * bounded (the oldest go first, never a new-identity or cache-mismatch the user must act on).
   */
  private warn(w: SecurityWarning): void {
    const list = this.security.warnings;
    const same = list.findIndex((x) => x.kind === w.kind && x.message === w.message);
    if (same >= 0) list.splice(same, 1);
    list.push(w);
    if (list.length > MAX_WARNINGS) {
      const oldest = list.findIndex((x) => x.kind !== 'new-identity' && x.kind !== 'cache-mismatch');
      if (oldest >= 0) list.splice(oldest, 1);
    }
    this.host.securityChanged(this);
  }

  private onZrtp(stream: StreamKind, r: ZrtpReport): void {
    const sec = this.security;
    switch (r.kind) {
      case 'helloSeen':
        this.helloSeen = true;
        return;
      case 'peerZid': {
        sec.peerZid = r.peerZid;
        const previous = this.host.recordIdentity(this.remoteAddress, r.peerZid);
        if (previous) {
          sec.verified = false;
          this.warn({ kind: 'new-identity', message: `${this.remoteAddress} answered with a new security identity: compare the SAS again.`, previousZid: previous, zid: r.peerZid });
        }
        return;
      }
      case 'sasReady':
        if (stream !== 'audio') return;
        sec.sas = r.sas;
        sec.sasType = r.sasType === 'B256' ? 'B256' : 'B32';
        sec.state = 'sas-ready';
        if (!sec.warnings.some((w) => w.kind === 'new-identity' || w.kind === 'cache-mismatch')) sec.verified = r.verified;
        this.host.mark?.(this, 'sasReady');
        this.host.securityChanged(this);
        return;
      case 'secure':
        sec.perStream[stream] = { state: 'secure', multistream: r.multistream };
        if (stream === 'audio') {
          sec.state = 'secure';
          sec.sas = r.sas;
          sec.sasType = r.sasType === 'B256' ? 'B256' : 'B32';
          sec.peerZid = r.peerZid;
          sec.details = { keyAgreement: r.keyAgreement, cipher: r.cipher, hash: r.hash, authTag: r.authTag, sasType: sec.sasType, srtpSuite: r.srtpSuite };
          // A SAS the user confirmed while the handshake finished stays confirmed.
          if (!sec.warnings.some((w) => w.kind === 'new-identity' || w.kind === 'cache-mismatch')) sec.verified = sec.verified || r.verified;
          if (r.helloHashMatched === false) this.warn({ kind: 'hello-hash-mismatch', message: "the peer's ZRTP Hello does not match the hash in its SDP" });
        } else {
          this.host.mark?.(this, 'videoSecure');
        }
        this.host.securityChanged(this);
        return;
      case 'cacheMismatch':
        sec.verified = false;
        this.warn({ kind: 'cache-mismatch', message: 'the shared secret from earlier calls did not match: possible man in the middle, compare the SAS again.' });
        return;
      case 'helloHashMismatch':
        this.warn({ kind: 'hello-hash-mismatch', message: "the peer's ZRTP Hello does not match the a=zrtp-hash in its SDP" });
        return;
      case 'error':
        if (stream === 'audio' && sec.state !== 'secure') sec.state = 'failed';
        this.warn({ kind: 'zrtp-error', message: `ZRTP ${r.sentByPeer ? 'peer' : 'local'} error 0x${r.code.toString(16)}: ${r.reason}` });
        if (stream !== 'audio' || sec.state !== 'failed') return;
        // Our Hellos went unanswered: the peer has no ZRTP (SDES or plain may follow, by policy).
        // A peer that spoke ZRTP and failed it gets no second chance at a weaker protection.
        if (!this.peerSpokeZrtp()) void this.onNoZrtp();
        else if (!this.helloSeen && this.security.peerZid === '') this.endWithoutMedia();
        else this.refuseStalledZrtp(`failed (${r.reason})`);
        return;
    }
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
    this.host.changed(this);
  }

  // ---- ending ------------------------------------------------------------------------------

  private setState(state: CallInfo['state']): void {
    this.info.state = state;
    this.host.changed(this);
  }

  hangup(): void {
    this.hangupWith('local-hangup');
  }

  hangupWith(reason: EndReason): void {
    this.session?.bye();
    this.finish(reason);
  }

  private finish(reason: EndReason, error?: SipStatusError): void {
    if (this.endedOnce) return;
    this.endedOnce = true;
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.info.state = 'ended';
    this.info.endedAt = Date.now();
    this.info.endReason = reason;
    if (error) {
      this.info.sipStatus = error.status;
      this.info.sipReason = error.reason;
    }
    const w = this.worker;
    if (w) {
      const closed = w.waitFor((m): m is WorkerToMain => m.type === 'closed', 3000).catch(() => undefined);
      w.post({ type: 'hangup' });
      void closed.then(() => {
        this.offListen?.();
        this.host.releaseWorker(w);
      });
    }
    this.host.changed(this);
    this.host.ended(this);
  }
}
