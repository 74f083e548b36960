// The receiving half of one stream: SRTP unprotect (RFC 3711), RTP header parse, reception
// statistics (RFC 3550 §6.4.1, A.8), DTMF events (RFC 4733), then the audio jitter buffer and its
// playout, or the VP8 frame assembler, whose gaps become NACKs (RFC 4585 §6.2.1) and whose lost
// frames a PLI (§6.3.1), sent through the stream's RTCP session. Packets go back to the pool:
// at once, or, a video packet the assembler stored, when its frame is out or dropped (the
// assembler reads its payload from the packet itself, issue 23).

import type { RemoteInfo } from 'node:dgram';
import type { PacketBuffer } from '../../../../crypto/packet-buffer';
import { monotonicMs } from '../clock';
import { createRtpHeader, parseRtpHeader, RtpReceiverStats } from '../../rtp';
import { TelephoneEventReceiver, dtmfDigit } from '../../payload';
import { AudioJitterBuffer, VideoFrameAssembler, VideoFreezeCounter } from '../../jitter';
import { createEncodedFrame, type EncodedFrame, type MediaSink } from '../../sources';
import type { StreamStart } from '../../worker-protocol';
import type { PlayoutStats } from '../../../../shared/api';
import { G711QuietDetector } from '../../../../shared/audio/g711-quiet';
import { opusPacketHasLbrr } from '../../../../shared/audio/opus-lbrr';
import type { RtcpSession } from './rtcp-session';
import type { StreamDrops, StreamKeys } from './stream-keys';
import type { StreamPath } from './stream-path';

export interface RtpReceiverHooks {
  firstFrame(): void;
  dtmf(digit: string): void;
}

export class RtpReceiver {
  /** The direction lets us receive (sendrecv or recvonly, RFC 3264 §6.1). */
  enabled = true;
  packetsReceived = 0;
  bytesReceived = 0;
  /** The peer's SSRC (-1 before its first packet): NACK and PLI name it. */
  remoteSsrc = -1;
  private config: StreamStart | undefined;
  private sink: MediaSink | undefined;
  private stats: RtpReceiverStats | undefined;
  private readonly header = createRtpHeader();
  private readonly dtmfReceiver = new TelephoneEventReceiver();
  private audioJitter: AudioJitterBuffer | undefined;
  private videoAssembler: VideoFrameAssembler<PacketBuffer> | undefined;
  /** A stored video packet goes back to the pool of the socket it came from. */
  private readonly releasePacket = (p: PacketBuffer): void => this.path.rtpSocket.pool.give(p);
  private readonly nackList = new Uint16Array(64);
  private readonly sinkFrame: EncodedFrame = createEncodedFrame();
  private firstFrameSeen = false;
  private stopped = false;
  private readonly videoFreezes = new VideoFreezeCounter();
  /** Lost Opus frames handed on with the next packet's in-band FEC. */
  private fecRecoveries = 0;

  constructor(
    private readonly path: StreamPath,
    private readonly keys: StreamKeys,
    private readonly drops: StreamDrops,
    private readonly rtcp: RtcpSession,
    private readonly hooks: RtpReceiverHooks,
  ) {}

  start(cfg: StreamStart, sink: MediaSink | undefined): void {
    this.config = cfg;
    this.sink = sink;
    if (cfg.stream === 'video') {
      // A sink that keeps frames gets each in a fresh buffer of its own (no copy to post it on).
      this.videoAssembler?.releaseAll();
      this.videoAssembler = new VideoFrameAssembler({ freshFrameHeadroom: sink?.frameHeadroom, release: this.releasePacket });
      // Its NACK spacing follows the round-trip time RTCP measures.
      this.rtcp.rttTarget = this.videoAssembler;
    } else {
      const { name, clockRate } = cfg.codec;
      const frameDuration = name === 'opus' ? 960 : 160;
      // G.711 comes without DTX: the buffer moves its delay at quiet frames, the pauses between words.
      const isQuiet = name === 'PCMU' || name === 'PCMA' ? new G711QuietDetector(name).isQuiet : undefined;
      this.audioJitter = new AudioJitterBuffer({ clockRate, frameDuration, isQuiet });
    }
  }

  onRtp(p: PacketBuffer, from: RemoteInfo): void {
    const pool = this.path.rtpSocket.pool;
    let kept = false;
    try {
      if (this.stopped) return;
      if (!this.config) {
        // Keyed but not started (ZRTP finished before the 200 OK reached us): nothing plays yet,
        // but SRTP sees the peer's packets, so its highest sequence number and rollover counter
        // follow the stream (RFC 3711 §3.3.1). Skipped, the first packet after the start would be
        // taken for ROC 0, and a sequence number that wrapped meanwhile failed every packet.
        if (this.keys.authenticates) this.keys.unprotect(p, false);
        return;
      }
      if (!this.keys.unprotect(p, false)) return;
      if (parseRtpHeader(p.bytes, p.start, p.end, this.header)) {
        this.drops.malformed++;
        return;
      }
      const h = this.header;
      this.path.followAuthenticated(from, false, this.keys.authenticates);
      this.packetsReceived++;
      this.bytesReceived += p.length;
      if (!this.enabled) return;
      const te = this.config.telephoneEvent;
      if (te && h.payloadType === te.payloadType) {
        const v = this.dtmfReceiver.push(p.bytes, h);
        if (v === 'begin' || v === 'begin-end') {
          const digit = dtmfDigit(this.dtmfReceiver.event);
          if (digit) this.hooks.dtmf(digit);
        }
        return;
      }
      if (h.payloadType !== this.config.codec.payloadType) {
        this.drops.unknownPayloadType++;
        return;
      }
      if (h.ssrc !== this.remoteSsrc || !this.stats) {
        this.remoteSsrc = h.ssrc;
        this.stats = new RtpReceiverStats(h.ssrc, this.config.codec.clockRate);
        this.rtcp.setReceptionStats(this.stats);
      }
      const now = monotonicMs();
      const ts = h.timestamp | 0;
      this.stats.onPacket(h.sequenceNumber, ts, now);
      if (this.audioJitter) {
        const r = this.audioJitter.push(h.sequenceNumber, ts, p.bytes, h.payloadStart, h.payloadEnd, now, h.marker);
        if (r === 'late') this.drops.late++;
      } else if (this.videoAssembler) {
        kept = this.videoAssembler.push(p.bytes, h, now, p) === 'stored';
        this.videoFreezes.packet();
        this.drainVideo();
      }
    } finally {
      if (!kept) pool.give(p);
    }
  }

  /** Audio: the frames due now from the jitter buffer to the sink (its 10 ms tick). */
  playout(): void {
    const jb = this.audioJitter;
    if (!jb || !this.sink) return;
    const now = monotonicMs();
    for (let i = 0; i < 5; i++) {
      const r = jb.pop(now);
      if (r === 'frame') {
        const f = this.sinkFrame;
        f.data = jb.slab;
        f.offset = jb.frameStart;
        f.length = jb.frameEnd - jb.frameStart;
        f.timestamp = jb.frameTimestamp;
        f.keyframe = false;
        this.sink.writeFrame(f);
        this.noteFrame();
      } else if (r === 'lost') {
        this.sink.writeLoss(jb.packetDuration, jb.frameTimestamp, this.followingFor(jb));
      } else break;
    }
  }

  /**
   * After a loss: the packet after the lost frame if it is here: G.711 audio the loss is
   * interpolated towards (g711-plc.ts), or Opus that carries in-band FEC for it (LBRR data,
   * RFC 6716 §2.1.7, §4.2.3), counted as an FEC recovery.
   */
  private followingFor(jb: AudioJitterBuffer): Uint8Array | undefined {
    if (jb.followingEnd === jb.followingStart) return undefined;
    const following = jb.slab.subarray(jb.followingStart, jb.followingEnd);
    if (this.config?.codec.name !== 'opus') return following;
    if (opusPacketHasLbrr(following) !== true) return undefined;
    this.fecRecoveries++;
    return following;
  }

  private drainVideo(): void {
    const va = this.videoAssembler!;
    while (va.pollFrame()) {
      this.videoFreezes.frame(monotonicMs());
      const f = this.sinkFrame;
      f.data = va.frame;
      f.offset = va.frameOffset;
      f.length = va.frameLength;
      f.timestamp = va.frameTimestamp;
      f.keyframe = va.frameIsKeyframe;
      this.sink?.writeFrame(f);
      this.noteFrame();
    }
  }

  /**
   * What playout did with the received stream: audio concealed (lost frames and stretches, in
   * ms, less the lost frames handed to the decoder with the next packet's in-band FEC, which are
   * counted apart) and the jitter buffer's playout delay; video freezes.
   */
  playoutStats(): PlayoutStats {
    const jb = this.audioJitter;
    const packetMs = jb ? (jb.packetDuration * 1000) / jb.clockRate : 0;
    return {
      concealedMs: jb ? (jb.counters.lost + jb.counters.stretched - this.fecRecoveries) * packetMs : 0,
      playoutDelayMs: jb ? jb.playoutDelayMs : 0,
      fecRecoveries: this.fecRecoveries,
      videoFreezes: this.videoFreezes.freezes,
    };
  }

  private noteFrame(): void {
    if (this.firstFrameSeen) return;
    this.firstFrameSeen = true;
    this.hooks.firstFrame();
  }

  /** Video, every 20 ms: NACK the gaps (when negotiated), PLI for a lost frame, drain what is complete. */
  videoTick(): void {
    const va = this.videoAssembler;
    if (!va || !this.rtcp.canSend()) return;
    const now = monotonicMs();
    if (this.config?.nack) {
      const n = va.collectNacks(now, this.nackList);
      if (n > 0) this.rtcp.sendNack(this.remoteSsrc, this.nackList, n);
    }
    if (va.tick(now) && this.remoteSsrc >= 0) this.rtcp.sendPli(this.remoteSsrc);
    this.drainVideo();
  }

  /** Our decoder needs a keyframe: ask the peer's encoder for one (PLI, RFC 4585 §6.3.1), rate-limited with the assembler's own. */
  requestKeyframe(): void {
    if (this.remoteSsrc < 0 || !this.rtcp.canSend()) return;
    if (this.videoAssembler && !this.videoAssembler.allowKeyframeRequest(monotonicMs())) return;
    this.rtcp.sendPli(this.remoteSsrc);
  }

  stop(): void {
    this.stopped = true;
    this.videoAssembler?.releaseAll();
    this.sink?.close();
  }
}
