// The streams of a call as the worker runs them: which are open (sockets bound, candidates
// gathered), which started (keyed and flowing), how each is keyed, and the peer's ICE per stream.
// Negotiation (call-negotiation.ts) decides; this applies each negotiated session to the worker.

import type { SecurityMode, StreamKind } from '../../shared/api';
import type { ActiveStream, NegotiatedStream, SessionDescription } from '../sdp';
import type { NegotiationContext } from './call-negotiation';
import { localMediaConfig, newSdesKeys, streamStart, type OpenStream } from './media-plan';
import { ICE_GATHER_TIMEOUT_MS, PeerIce, remoteIce } from './call-ice';

const CODEC_NAMES = { PCMU: 'pcmu', PCMA: 'pcma', opus: 'opus', VP8: 'vp8' } as const;

export class CallStreams {
  /** The last negotiated session, by m-line (the security policy checks re-offers against it). */
  negotiated: NegotiatedStream[] = [];
  /** Whether our streams gather candidates: always for our calls, for the peer's if it offered ICE. */
  iceWanted = false;
  /** RFC 8445 §6.1.1: the offerer of the first offer controls, for the whole session. */
  iceControlling = false;
  private readonly open = new Map<StreamKind, OpenStream>();
  private readonly started = new Set<StreamKind>();
  /** How each started stream is keyed now. */
  private readonly keyedAs = new Map<StreamKind, SecurityMode>();
  /** The peer's ICE credentials per stream (restart detection). */
  private readonly peerIce = new PeerIce();

  constructor(private readonly ctx: NegotiationContext) {}

  has(kind: StreamKind): boolean {
    return this.open.has(kind);
  }

  isStarted(kind: StreamKind): boolean {
    return this.started.has(kind);
  }

  all(): OpenStream[] {
    return [...this.open.values()];
  }

  /** Binds a stream's sockets in the worker (and gathers its candidates when ICE is wanted). */
  async openStream(kind: StreamKind, security: OpenStream['security']): Promise<OpenStream> {
    const servers = this.iceWanted ? await this.ctx.deps.iceServers() : undefined;
    const ice = servers && { servers, controlling: this.iceControlling, gatherTimeoutMs: ICE_GATHER_TIMEOUT_MS, hosts: [this.ctx.hostAddress()] };
    const m = await this.ctx.relay.openStream(kind, ice);
    const s: OpenStream = { kind, rtpPort: m.rtpPort, rtcpPort: m.rtcpPort, helloHash: m.helloHash, security, direction: 'sendrecv', sdesKeys: security === 'sdes' ? newSdesKeys() : undefined, ice: m.ice };
    this.open.set(kind, s);
    return s;
  }

  /** Forgets a stream we no longer offer (its m-line goes to port 0 in the next offer). */
  drop(kind: StreamKind): void {
    this.open.delete(kind);
  }

  closeStream(kind: StreamKind, why?: NegotiatedStream): void {
    const { info } = this.ctx;
    this.open.delete(kind);
    this.started.delete(kind);
    this.peerIce.forget(kind);
    this.ctx.security.streamClosed(kind);
    this.ctx.relay.post({ type: 'closeStream', stream: kind });
    if (kind === 'video') {
      info.video.local = 'off';
      info.video.remote = 'off';
      if (why && why.status === 'rejected') info.video.declinedByPeer = true;
      this.changed();
    }
  }

  /** Our side for offer/answer; `withIce` false answers an offer that had no ICE (RFC 8839 §4.2.1.1). */
  config(withIce = true) {
    return localMediaConfig(this.ctx.advertise, this.all(), this.ctx.deps.io, withIce);
  }

  /** Our ICE restart on every started ICE stream (RFC 8445 §9); false when none does ICE. */
  async restartIce(): Promise<boolean> {
    const streams = this.all().filter((s) => s.ice && this.started.has(s.kind));
    for (const s of streams) await this.restartStreamIce(s, true);
    return streams.length > 0;
  }

  /** The peer's offer restarts ICE on a stream: so do we (both sides change credentials, §9). */
  async followPeerRestarts(offer: SessionDescription): Promise<void> {
    for (const [i, m] of offer.media.entries()) {
      const s = (m.media === 'audio' || m.media === 'video') && this.started.has(m.media) ? this.open.get(m.media) : undefined;
      if (s?.ice && this.peerIce.isRestart(s.kind, remoteIce(offer, i))) await this.restartStreamIce(s, false);
    }
  }

  /** `regather`: our network changed (new candidates); else the peer restarted (new credentials only). */
  private async restartStreamIce(s: OpenStream, regather: boolean): Promise<void> {
    s.ice = await this.ctx.relay.restartIce(s.kind, [this.ctx.hostAddress()], regather);
    this.peerIce.expectRestart(s.kind);
  }

  rekeyPlain(): void {
    for (const kind of this.started) {
      this.ctx.relay.post({ type: 'rekeyStream', stream: kind, security: { mode: 'none' } });
      this.keyedAs.set(kind, 'none');
    }
  }

  peerOfferedZrtpHash(): boolean {
    return this.negotiated.some((s) => s.status === 'active' && s.remoteZrtpHash !== undefined);
  }

  /** Starts new negotiated streams, updates running ones, closes the ones that went away. */
  apply(streams: NegotiatedStream[], remote: SessionDescription | undefined): void {
    const { info, security, relay, deps } = this.ctx;
    this.negotiated = streams;
    const active = new Map<StreamKind, ActiveStream>();
    for (const s of streams) if (s.status === 'active' && (s.kind === 'audio' || s.kind === 'video') && !active.has(s.kind)) active.set(s.kind, s);
    for (const kind of [...this.open.keys()]) {
      if (!active.has(kind)) this.closeStream(kind, streams.find((s) => s.kind === kind && s.status !== 'active'));
    }
    for (const [kind, s] of active) {
      const ice = this.peerIce.update(kind, remoteIce(remote, s.index));
      if (this.started.has(kind)) {
        relay.post({ type: 'updateStream', stream: kind, direction: s.direction });
        if (ice) relay.post({ type: 'iceRemote', stream: kind, ice });
        // Our own re-offer moved the stream from ZRTP (no Hello came) to SDES: new keys.
        if (this.keyedAs.get(kind) !== s.security && s.security !== 'zrtp') {
          const start = streamStart(s, deps.io);
          if (typeof start !== 'string') relay.post({ type: 'rekeyStream', stream: kind, security: start.security });
          this.keyedAs.set(kind, s.security);
          security.noteKeying(kind, s);
        }
        continue;
      }
      const start = streamStart(s, deps.io, ice);
      if (typeof start === 'string') {
        this.closeStream(kind);
        continue;
      }
      this.started.add(kind);
      this.keyedAs.set(kind, s.security);
      relay.post({ type: 'startStream', ...start });
      info.codecs = { ...info.codecs, [kind]: CODEC_NAMES[start.codec.name] };
      // The renderer encodes for the negotiated codec (CallInfo.codecs): tell it at once.
      this.changed();
      security.streamStarted(kind, s);
      if (kind === 'video') {
        info.video.local = 'on';
        info.video.remote = s.direction === 'sendrecv' || s.direction === 'recvonly' ? 'on' : 'off';
        this.changed();
      }
    }
  }

  private changed(): void {
    this.ctx.notify({ type: 'changed' });
  }
}
