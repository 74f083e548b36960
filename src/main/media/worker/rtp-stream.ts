// One media stream of a call in the worker, composed of its parts (./stream/): the path (sockets,
// peer addresses, symmetric RTP), the SRTP keys, the RtpSender, the RtpReceiver and the
// RtcpSession. This face opens, starts, keys and closes them together; the packet path runs
// inside the parts (RFC 3550 for RTP/RTCP, RFC 4585/5104 for NACK/PLI/FIR, RFC 3711 for SRTP,
// RFC 7983 for the demux).
//
// Allocation-free: packets live in PacketBuffers from the socket's pool; after the socket nothing
// is allocated per packet. Time comes from ../clock (whole ms, never performance.now()), RTP
// timestamps travel as signed 32-bit patterns (`| 0`), and no fractional number is passed to or
// returned from a function on the packet path (V8 boxes such values unless it inlined the call).
// bench/pipeline-alloc.mjs measures it and names the allocation sites if this ever regresses.

import type { RemoteInfo } from 'node:dgram';
import type { StreamKind, StreamStats } from '../../../shared/api';
import type { SrtpPrimitives, SrtpSuiteName } from '../../../crypto/srtp';
import type { MediaSink, MediaSource } from '../sources';
import type { MediaCodecName, StreamStart } from '../worker-protocol';
import { StreamPath } from './stream/stream-path';
import { StreamKeys, createStreamDrops, type MasterKey, type StreamDrops } from './stream/stream-keys';
import { RtpSender } from './stream/rtp-sender';
import { RtpReceiver } from './stream/rtp-receiver';
import { RtcpSession } from './stream/rtcp-session';
import { sharedIntervals, type SharedIntervals } from './shared-interval';
import { tierUpMediaPath } from './tier-up';

export type { StreamDrops } from './stream/stream-keys';

export interface RtpStreamHooks {
  zrtp(packet: Uint8Array, from: RemoteInfo): void;
  firstFrame(): void;
  dtmf(digit: string): void;
  /** The peer sent PLI/FIR: our encoder should make a keyframe. */
  keyframeRequested(): void;
  remoteBye(): void;
  log(message: string): void;
}

const RTCP_INTERVAL_MS = 1000;
const VIDEO_TICK_MS = 20;
/** One G.711/Opus frame: the playout tick of a stream that sends nothing paced. */
const AUDIO_PLAYOUT_TICK_MS = 20;

export class RtpStream {
  /** Our SSRC, drawn up front: ZRTP packets carry it before any RTP flows (RFC 6189 §5). */
  readonly ssrc: number;
  readonly path: StreamPath;
  readonly keys: StreamKeys;
  readonly sender: RtpSender;
  readonly receiver: RtpReceiver;
  readonly rtcp: RtcpSession;
  private readonly drops: StreamDrops = createStreamDrops();
  /** Leave the shared intervals (shared-interval.ts) this stream's periodic work runs on. */
  private timers: (() => void)[] = [];
  private stopped = false;

  constructor(
    readonly kind: StreamKind,
    private readonly hooks: RtpStreamHooks,
    primitives: SrtpPrimitives | undefined,
    private readonly random: (n: number) => Uint8Array,
    cname: string,
    /** The shared ticks and clock the periodic work runs on (a test's fake ones). */
    private readonly intervals: SharedIntervals = sharedIntervals,
  ) {
    this.ssrc = this.randomU32();
    this.path = new StreamPath(kind, (m) => hooks.log(m));
    this.keys = new StreamKeys(this.drops, primitives);
    this.sender = new RtpSender(kind, this.ssrc, this.path, this.keys, intervals);
    this.rtcp = new RtcpSession(this.ssrc, cname, this.path, this.keys, this.drops, this.sender, {
      keyframeRequested: () => {
        this.sender.requestKeyframe();
        hooks.keyframeRequested();
      },
      remoteBye: () => hooks.remoteBye(),
    });
    this.receiver = new RtpReceiver(this.path, this.keys, this.drops, this.rtcp, hooks);
  }

  open(host: string, rtcpMux: boolean, port = 0): Promise<{ rtpPort: number; rtcpPort: number }> {
    return this.path.open(
      {
        zrtp: (b, from) => this.hooks.zrtp(b, from),
        rtp: (p, from) => this.receiver.onRtp(p, from),
        rtcp: (p, socket, from) => this.rtcp.onRtcp(p, socket, from),
      },
      host,
      rtcpMux,
      port,
    );
  }

  start(cfg: StreamStart, source: MediaSource | undefined, sink: MediaSink | undefined): void {
    // Media flows from here: V8 is to optimize the packet path in seconds (tier-up.ts).
    tierUpMediaPath();
    this.path.rtcpMux = cfg.rtcpMux;
    this.path.started = true;
    this.path.setRemote(cfg.remote);
    // Random (RFC 3550 §5.1) but below 2^15, as libwebrtc draws it: a receiver that misses our
    // first packets (not started or not keyed yet) takes the first it authenticates for rollover
    // counter 0 (RFC 3711 §3.3.1); had the sequence number wrapped before, every packet would
    // fail. From below 2^15 it wraps after 32768 packets at the earliest (11 minutes of audio).
    const seq = cfg.initialSequenceNumber ?? (this.randomU32() & 0x7fff);
    this.sender.start(cfg, source, seq, this.randomU32(), this.randomU32() & 0x7fff);
    this.receiver.start(cfg, sink);
    this.setDirection(cfg.direction);
    this.rekey(cfg.security);
    // Audio plays out on the pacer's tick (one wake-up per frame for both directions); a stream
    // with nothing to pace, or video (NACK/PLI upkeep), has a callback of its own, on the shared
    // interval of its period: video's upkeep rides the audio pacer's 20 ms wake-up.
    const playout = this.kind === 'audio' ? () => this.receiver.playout() : undefined;
    const paced = this.sender.startPacer(playout);
    this.timers.push(this.intervals.everyMs(RTCP_INTERVAL_MS, () => this.rtcp.sendReport()));
    if (playout && !paced) this.timers.push(this.intervals.everyMs(AUDIO_PLAYOUT_TICK_MS, playout));
    else if (!playout) this.timers.push(this.intervals.everyMs(VIDEO_TICK_MS, () => this.receiver.videoTick()));
  }

  setDirection(direction: string): void {
    this.sender.enabled = direction === 'sendrecv' || direction === 'sendonly';
    this.receiver.enabled = direction === 'sendrecv' || direction === 'recvonly';
  }

  /** Both directions flow: a stream in any other direction is on hold (RFC 3264 §8.4). */
  get sendrecv(): boolean {
    return this.sender.enabled && this.receiver.enabled;
  }

  /** Keys from ZRTP (or SDES): from now on media flows, protected. */
  setKeys(suite: SrtpSuiteName, local: MasterKey, remote: MasterKey, srtcpTagLength?: number): void {
    this.keys.set(suite, local, remote, srtcpTagLength);
    // A new video receiver gets a keyframe at once (first remote frame without waiting a GOP).
    this.sender.requestKeyframe();
  }

  /** Keys from signalling after all (SDES), or none at all when the user allowed plain RTP. */
  rekey(security: StreamStart['security']): void {
    if (security.mode === 'sdes') {
      const k = security.keys;
      this.setKeys(k.suite, k.local, k.remote);
    } else if (security.mode === 'none') {
      this.keys.allowPlain();
    }
  }

  stats(codec: MediaCodecName | string): StreamStats {
    return { ...this.rtcp.stats(this.kind, codec, this.receiver), playout: this.receiver.playoutStats() };
  }

  /** Sends an RTCP BYE, stops, closes the sockets and zeroes the keys. */
  async close(): Promise<void> {
    if (this.stopped) return;
    try {
      this.rtcp.sendReport(true);
    } catch {
      // best effort
    }
    this.stopped = true;
    for (const leave of this.timers) leave();
    this.timers = [];
    this.sender.stop();
    this.receiver.stop();
    this.rtcp.stop();
    this.keys.dispose();
    await this.path.close();
  }

  private randomU32(): number {
    const b = this.random(4);
    return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  }
}
