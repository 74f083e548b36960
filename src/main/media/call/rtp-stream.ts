// One media stream of a call in the worker: its socket(s), SRTP sessions, RTP sender and
// receiver, RTCP, and the source and sink it carries. Packets live in PacketBuffers from the
// socket's pool; after the socket nothing is allocated per packet (RFC 3550 for RTP/RTCP,
// RFC 4585/5104 for NACK/PLI/FIR, RFC 3711 for SRTP, RFC 7983 for the demux).
//
// Allocation-free also means: time comes from ./clock (whole ms, never performance.now()), RTP
// timestamps travel as signed 32-bit patterns (`| 0`), and no fractional number is passed to or
// returned from a function on the packet path (V8 boxes such values unless it inlined the call).
// bench/pipeline-alloc.mjs measures it and names the allocation sites if this ever regresses.

import type { RemoteInfo } from 'node:dgram';
import type { StreamKind, StreamStats } from '../../../shared/api';
import type { PacketBuffer } from '../../../crypto/packet-buffer';
import { SrtpSession, type SrtpPrimitives, type SrtpSuiteName, SRTCP_INDEX_LENGTH } from '../../../crypto/srtp';
import { MediaSocket, type Endpoint } from '../media-socket';
import { monotonicMs, ntpNow, type NtpTime } from '../clock';
import { createRtpHeader, parseRtpHeader, writeRtpHeader, appendBytes, RtpSenderState, RtpReceiverStats, RtpSendHistory } from '../rtp';
import {
  RtcpCompoundParser,
  RtcpReporter,
  writeNack,
  writePli,
  writeBye,
  ntpMiddle32FromParts,
  nackedSequenceNumbers,
  type RtcpHandler,
} from '../rtcp';
import { Vp8Packetizer, TelephoneEventSender, TelephoneEventReceiver, dtmfEventCode, dtmfDigit } from '../payload';
import { AudioJitterBuffer, VideoFrameAssembler } from '../jitter';
import { createEncodedFrame, type EncodedFrame, type MediaSink, type MediaSource } from '../sources';
import type { MediaCodecName, RemoteEndpoints, StreamStart } from '../worker-protocol';

export interface RtpStreamHooks {
  zrtp(packet: Uint8Array, from: RemoteInfo): void;
  firstFrame(): void;
  dtmf(digit: string): void;
  keyframeRequested(): void;
  remoteBye(): void;
  log(message: string): void;
}

const RTCP_INTERVAL_MS = 1000;
const VIDEO_TICK_MS = 20;
const AUDIO_PLAYOUT_TICK_MS = 10;
/** How often a file/tone source's pacer looks for due frames (a frame is at most this late). */
const PACER_TICK_MS = 5;
/** Largest SRTP/SRTCP trailer of any suite: 16-byte GCM tag or 10-byte HMAC tag, MKI, SRTCP index. */
const MAX_TRAILER = 16 + 4 + SRTCP_INDEX_LENGTH + 16;

export interface StreamDrops {
  auth: number;
  replay: number;
  noKey: number;
  malformed: number;
  unknownPayloadType: number;
  late: number;
  protectFailures: number;
}

export class RtpStream {
  readonly kind: StreamKind;
  /** Our SSRC, drawn up front: ZRTP packets carry it before any RTP flows (RFC 6189 §5). */
  readonly ssrc: number;
  rtpSocket!: MediaSocket;
  rtcpSocket: MediaSocket | undefined;
  private config: StreamStart | undefined;
  private remoteRtp: Endpoint | undefined;
  private remoteRtcp: Endpoint | undefined;
  /** Where the peer's last ZRTP packet came from: ZRTP replies go there (symmetric ZRTP). */
  private remoteZrtp: Endpoint | undefined;
  /**
   * Media went to where authenticated SRTP/SRTCP came from (symmetric RTP, RFC 4961), no longer
   * to the SDP address: a re-offer's address then waits for authenticated packets too.
   */
  private latched = false;
  private tx: SrtpSession | undefined;
  private rx: SrtpSession | undefined;
  private secured = false;
  /** Plain RTP (no keys ever): only when the user allowed an unencrypted call. */
  private plain = false;
  /**
   * Liveness (media-liveness.ts): when the stream could first authenticate media (keys or plain),
   * when an authenticated RTP or RTCP packet last came (clock ms, -1 before any), whether RTCP did.
   * The packet path only stores a number here.
   */
  armedAtMs = -1;
  lastAuthenticMs = -1;
  rtcpSeen = false;
  srtpSuite = '';

  private sender: RtpSenderState | undefined;
  private receiver: RtpReceiverStats | undefined;
  /** `receiver` as the one-element list the reporter takes (kept, not rebuilt per report). */
  private readonly receivers: RtpReceiverStats[] = [];
  private remoteSsrc = -1;
  private readonly history = new RtpSendHistory({ capacity: 512 });
  private readonly header = createRtpHeader();
  private readonly rtcpParser = new RtcpCompoundParser();
  private readonly reporter: RtcpReporter;
  private readonly nackList = new Uint16Array(64);
  private packetizer: Vp8Packetizer | undefined;
  private readonly dtmfSender: TelephoneEventSender;
  private readonly dtmfReceiver = new TelephoneEventReceiver();
  private readonly dtmfQueue: string[] = [];
  private dtmfGapUntil = 0;
  private audioJitter: AudioJitterBuffer | undefined;
  private videoAssembler: VideoFrameAssembler | undefined;
  private source: MediaSource | undefined;
  private sink: MediaSink | undefined;
  private readonly frame: EncodedFrame = createEncodedFrame();
  private readonly sinkFrame: EncodedFrame = createEncodedFrame();
  private timers: ReturnType<typeof setInterval>[] = [];
  private pacer: ReturnType<typeof setInterval> | undefined;
  private pacerStart = 0;
  private pacerFrames = 0;
  private firstFrameSeen = false;
  muted = false;
  private sending = true;
  private receiving = true;
  private lastRttMs = 0;
  private stopped = false;
  readonly drops: StreamDrops = { auth: 0, replay: 0, noKey: 0, malformed: 0, unknownPayloadType: 0, late: 0, protectFailures: 0 };
  private bytesSent = 0;
  private bytesReceived = 0;
  private packetsSent = 0;
  private packetsReceived = 0;
  private lastStats = { at: 0, sent: 0, received: 0 };
  private lastFractionLost = 0;
  /** Peak magnitude (0..127) of the last G.711 frame sent; stats() scales it to 0..1. */
  private audioPeak = 0;
  private readonly ntp: NtpTime = { seconds: 0, fraction: 0 };

  constructor(
    kind: StreamKind,
    private readonly hooks: RtpStreamHooks,
    private readonly primitives: SrtpPrimitives | undefined,
    private readonly random: (n: number) => Uint8Array,
    cname: string,
  ) {
    this.kind = kind;
    this.ssrc = this.randomU32();
    this.reporter = new RtcpReporter(this.ssrc, new TextEncoder().encode(cname));
    this.dtmfSender = new TelephoneEventSender(8000, 20);
  }

  async open(host: string, rtcpMux: boolean, port = 0): Promise<{ rtpPort: number; rtcpPort: number }> {
    const handlers = {
      zrtp: (b: Uint8Array, from: RemoteInfo) => this.hooks.zrtp(b, from),
      rtp: (p: PacketBuffer, from: RemoteInfo) => this.onRtp(p, from),
      rtcp: (p: PacketBuffer, from: RemoteInfo) => this.onRtcp(p, this.rtpSocket, from),
    };
    this.rtpSocket = await MediaSocket.open(handlers, { host, port, tailroom: MAX_TRAILER });
    if (!rtcpMux) {
      // RFC 3550 §11: RTCP on the next port when not multiplexed; fall back to any port.
      try {
        this.rtcpSocket = await MediaSocket.open({ rtcp: (p, from) => this.onRtcp(p, this.rtcpSocket!, from) }, { host, port: this.rtpSocket.port + 1, tailroom: MAX_TRAILER });
      } catch {
        this.rtcpSocket = await MediaSocket.open({ rtcp: (p, from) => this.onRtcp(p, this.rtcpSocket!, from) }, { host, port: 0, tailroom: MAX_TRAILER });
      }
    }
    return { rtpPort: this.rtpSocket.port, rtcpPort: this.rtcpSocket?.port ?? this.rtpSocket.port };
  }

  /** Where ZRTP goes: where the peer's ZRTP came from, else the media destination. */
  get zrtpDestination(): Endpoint | undefined {
    return this.remoteZrtp ?? this.remoteRtp;
  }

  /** Where RTP goes now (the SDP address until authenticated SRTP came from elsewhere). */
  get rtpDestination(): Endpoint | undefined {
    return this.remoteRtp;
  }

  sendZrtp(packet: Uint8Array): void {
    const to = this.remoteZrtp ?? this.remoteRtp;
    if (to) this.rtpSocket.sendBytes(packet, to);
  }

  /**
   * Symmetric ZRTP: replies go where the peer's ZRTP came from, so a peer behind a NAT that
   * advertised its private address is reached at its public mapping, and a caller answers a Hello
   * before the 200 OK names the peer. Only ZRTP follows; a forged ZRTP source can stall the
   * handshake (as dropping packets could) but never learns a key nor redirects media.
   */
  learnRemoteFromZrtp(from: RemoteInfo): void {
    const z = this.remoteZrtp;
    if (z === undefined || z.port !== from.port || z.address !== from.address) this.remoteZrtp = { address: from.address, port: from.port };
  }

  /**
   * RFC 4961 symmetric RTP, after authentication: SRTP/SRTCP that passed unprotect came from the
   * peer itself, so media follows it (a NAT mapping, a rebinding). Compared field by field: no
   * allocation unless the address really changed. Unencrypted calls latch once (nothing to check).
   */
  private followAuthenticated(from: RemoteInfo, rtcpSocket: boolean): void {
    if (!this.rx && this.latched) return;
    if (rtcpSocket) {
      const c = this.remoteRtcp;
      if (c !== undefined && c.port === from.port && c.address === from.address) return;
      this.remoteRtcp = { address: from.address, port: from.port };
      return;
    }
    const r = this.remoteRtp;
    if (r !== undefined && r.port === from.port && r.address === from.address) {
      this.latched = true;
      return;
    }
    this.latched = true;
    this.remoteRtp = { address: from.address, port: from.port };
    if (this.config?.rtcpMux) this.remoteRtcp = this.remoteRtp;
    this.hooks.log(`${this.kind}: media goes to ${from.address} port ${from.port}, where authenticated packets come from`);
  }

  start(cfg: StreamStart, source: MediaSource | undefined, sink: MediaSink | undefined): void {
    this.config = cfg;
    this.setRemote(cfg.remote);
    this.source = source;
    this.sink = sink;
    const seq = cfg.initialSequenceNumber ?? (this.randomU32() & 0xffff);
    this.sender = new RtpSenderState({ ssrc: this.ssrc, clockRate: cfg.codec.clockRate, initialSequenceNumber: seq, initialTimestamp: this.randomU32() });
    if (this.kind === 'video') {
      this.packetizer = new Vp8Packetizer(this.randomU32() & 0x7fff);
      this.videoAssembler = new VideoFrameAssembler();
    } else {
      const frameDuration = cfg.codec.name === 'opus' ? 960 : 160;
      this.audioJitter = new AudioJitterBuffer({ clockRate: cfg.codec.clockRate, frameDuration });
    }
    this.setDirection(cfg.direction);
    if (cfg.security.mode === 'sdes') {
      const k = cfg.security.keys;
      this.setKeys(k.suite, k.local, k.remote);
    } else if (cfg.security.mode === 'none') {
      this.plain = true;
      this.arm();
    }
    this.timers.push(setInterval(() => this.sendRtcpReport(), RTCP_INTERVAL_MS));
    if (this.kind === 'audio') this.timers.push(setInterval(() => this.playout(), AUDIO_PLAYOUT_TICK_MS));
    else this.timers.push(setInterval(() => this.videoTick(), VIDEO_TICK_MS));
    this.startPacer();
  }

  setRemote(r: RemoteEndpoints): void {
    if (!this.latched) this.remoteRtp = { address: r.address, port: r.rtpPort };
    this.remoteRtcp = this.config?.rtcpMux ? this.remoteRtp : { address: r.rtcpAddress, port: r.rtcpPort };
  }

  setDirection(direction: string): void {
    this.sending = direction === 'sendrecv' || direction === 'sendonly';
    this.receiving = direction === 'sendrecv' || direction === 'recvonly';
  }

  /** Keys from ZRTP (or SDES): from now on media flows, protected. */
  setKeys(
    suite: SrtpSuiteName,
    local: { masterKey: Uint8Array; masterSalt: Uint8Array },
    remote: { masterKey: Uint8Array; masterSalt: Uint8Array },
    srtcpTagLength?: number,
  ): void {
    this.tx?.dispose();
    this.rx?.dispose();
    this.tx = new SrtpSession({ suite, masterKey: local.masterKey, masterSalt: local.masterSalt, primitives: this.primitives, srtcpTagLength });
    this.rx = new SrtpSession({ suite, masterKey: remote.masterKey, masterSalt: remote.masterSalt, primitives: this.primitives, srtcpTagLength });
    this.srtpSuite = suite;
    this.secured = true;
    this.arm();
    // A new video receiver gets a keyframe at once (first remote frame without waiting a GOP).
    this.source?.requestKeyframe();
  }

  /** Keys from signalling after all (SDES), or none at all when the user allowed plain RTP. */
  rekey(security: StreamStart['security']): void {
    if (security.mode === 'sdes') {
      const k = security.keys;
      this.setKeys(k.suite, k.local, k.remote);
    } else if (security.mode === 'none') {
      this.plain = true;
      this.arm();
    }
  }

  private arm(): void {
    if (this.armedAtMs < 0) this.armedAtMs = monotonicMs();
  }

  /** Both directions flow: a stream in any other direction is on hold (RFC 3264 §8.4). */
  get sendrecv(): boolean {
    return this.sending && this.receiving;
  }

  get isSecure(): boolean {
    return this.secured;
  }

  private canSend(): boolean {
    return !this.stopped && this.sending && (this.secured || this.plain) && !!this.remoteRtp && !!this.sender;
  }

  private randomU32(): number {
    const b = this.random(4);
    return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  }

  // ---- sending ---------------------------------------------------------------------------

  /**
   * Paces a file/tone source at its frame rate, drift-free: each tick sends the frames due by the
   * clock since the start. One fine interval (PACER_TICK_MS) rather than a timeout per frame,
   * which would allocate a Timeout per packet; a frame leaves at most one tick after it is due.
   */
  private startPacer(): void {
    const src = this.source;
    if (!src || src.frameDuration <= 0 || this.config?.source.kind === 'frames') return;
    const frameMs = (src.frameDuration * 1000) / src.clockRate;
    this.pacerStart = monotonicMs();
    this.pacerFrames = 0;
    const step = (): void => {
      if (this.stopped) return;
      const due = Math.floor((monotonicMs() - this.pacerStart) / frameMs) + 1;
      // After a stall send at most a few frames at once; the rest is skipped (real time).
      let budget = 3;
      while (this.pacerFrames < due && budget-- > 0) {
        this.pacerFrames++;
        if (!src.readFrame(this.frame)) {
          clearInterval(this.pacer);
          this.pacer = undefined;
          return;
        }
        this.sendFrame(this.frame);
      }
      if (this.pacerFrames < due) this.pacerFrames = due;
    };
    this.pacer = setInterval(step, Math.max(1, Math.min(PACER_TICK_MS, Math.floor(frameMs / 2))));
    step();
  }

  /** Sends one encoded frame (from a paced source or pushed by the renderer). */
  sendFrame(f: EncodedFrame): void {
    if (!this.canSend() || !this.config) return;
    const s = this.sender!;
    const ts = s.rtpTimestamp(f.timestamp);
    if (this.kind === 'audio') {
      if (this.sendDtmfPacket(ts)) return;
      if (this.muted) return;
      this.audioPeak = peakMagnitude(f.data, f.offset, f.length, this.config.codec.name);
      const p = this.rtpSocket.pool.take();
      writeRtpHeader(p, this.rtpFields(false, this.config.codec.payloadType, s.takeSequenceNumber(), ts));
      appendBytes(p, f.data, f.offset, f.offset + f.length);
      this.transmitRtp(p, f.length, ts);
      return;
    }
    const pk = this.packetizer!;
    pk.begin(f.data, f.offset, f.offset + f.length);
    while (!pk.done) {
      const p = this.rtpSocket.pool.take();
      const last = pk.nextIsLast;
      const headerStart = p.end;
      writeRtpHeader(p, this.rtpFields(last, this.config.codec.payloadType, s.takeSequenceNumber(), ts));
      const payloadStart = p.end;
      pk.writeNext(p);
      this.history.store(p.bytes, headerStart, p.end);
      this.transmitRtp(p, p.end - payloadStart, ts);
    }
  }

  private readonly fields = { marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, csrcCount: 0, csrc: new Uint32Array(0) };
  private rtpFields(marker: boolean, pt: number, seq: number, ts: number) {
    const f = this.fields;
    f.marker = marker;
    f.payloadType = pt;
    f.sequenceNumber = seq;
    f.timestamp = ts;
    f.ssrc = this.sender!.ssrc;
    return f;
  }

  private transmitRtp(p: PacketBuffer, payloadLength: number, ts: number): void {
    this.sender!.onPacketSent(payloadLength, ts, monotonicMs());
    if (this.tx) {
      const err = this.tx.protectRtp(p);
      if (err) {
        // Never for lack of room (PacketBuffer grows); only a real error such as an exhausted key.
        this.drops.protectFailures++;
        this.rtpSocket.pool.give(p);
        return;
      }
    }
    this.packetsSent++;
    this.bytesSent += p.length;
    this.rtpSocket.send(p, this.remoteRtp!);
  }

  sendDtmf(digits: string): void {
    for (const d of digits) this.dtmfQueue.push(d);
  }

  /** RFC 4733: while a digit plays, telephone-event packets replace the audio frames. */
  private sendDtmfPacket(ts: number): boolean {
    const te = this.config?.telephoneEvent;
    if (!te) return false;
    if (!this.dtmfSender.active && this.dtmfQueue.length === 0) return false;
    const now = monotonicMs();
    if (!this.dtmfSender.active) {
      if (now < this.dtmfGapUntil) return false;
      const digit = this.dtmfQueue.shift()!;
      this.dtmfSender.begin(dtmfEventCode(digit), 100, ts);
    }
    const p = this.rtpSocket.pool.take();
    const headerStart = p.end;
    writeRtpHeader(p, this.rtpFields(false, te.payloadType, this.sender!.takeSequenceNumber(), this.dtmfSender.timestamp));
    this.dtmfSender.writeNext(p);
    if (this.dtmfSender.marker) p.bytes[headerStart + 1] |= 0x80;
    if (!this.dtmfSender.active) this.dtmfGapUntil = now + 60;
    this.transmitRtp(p, 4, this.dtmfSender.timestamp);
    return true;
  }

  // ---- receiving -------------------------------------------------------------------------

  private onRtp(p: PacketBuffer, from: RemoteInfo): void {
    const pool = this.rtpSocket.pool;
    try {
      if (this.stopped || !this.config || !this.unprotect(p, 'rtp')) return;
      this.lastAuthenticMs = monotonicMs();
      if (parseRtpHeader(p.bytes, p.start, p.end, this.header)) {
        this.drops.malformed++;
        return;
      }
      const h = this.header;
      this.followAuthenticated(from, false);
      this.packetsReceived++;
      this.bytesReceived += p.length;
      if (!this.receiving) return;
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
      if (h.ssrc !== this.remoteSsrc || !this.receiver) {
        this.remoteSsrc = h.ssrc;
        this.receiver = new RtpReceiverStats(h.ssrc, this.config.codec.clockRate);
        this.receivers[0] = this.receiver;
      }
      const now = monotonicMs();
      const ts = h.timestamp | 0;
      this.receiver.onPacket(h.sequenceNumber, ts, now);
      if (this.audioJitter) {
        const r = this.audioJitter.push(h.sequenceNumber, ts, p.bytes, h.payloadStart, h.payloadEnd, now);
        if (r === 'late') this.drops.late++;
      } else if (this.videoAssembler) {
        this.videoAssembler.push(p.bytes, h, now);
        this.drainVideo();
      }
    } finally {
      pool.give(p);
    }
  }

  /**
   * Authenticates and decrypts in place; false (and counted) when the packet must be dropped.
   * Before keys exist only a call the user allowed to be plain takes packets as they are.
   */
  private unprotect(p: PacketBuffer, kind: 'rtp' | 'rtcp'): boolean {
    if (!this.rx) {
      if (this.plain) return true;
      this.drops.noKey++;
      return false;
    }
    const err = kind === 'rtp' ? this.rx.unprotectRtp(p) : this.rx.unprotectRtcp(p);
    if (err) this.countSrtpError(err.kind);
    return !err;
  }

  private countSrtpError(kind: string): void {
    if (kind === 'replayed') this.drops.replay++;
    else if (kind === 'auth-failed') this.drops.auth++;
    else this.drops.malformed++;
  }

  private playout(): void {
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
        if (!this.firstFrameSeen) {
          this.firstFrameSeen = true;
          this.hooks.firstFrame();
        }
      } else if (r === 'lost') {
        this.sink.writeLoss(jb.frameDuration);
      } else break;
    }
  }

  private drainVideo(): void {
    const va = this.videoAssembler!;
    while (va.pollFrame()) {
      const f = this.sinkFrame;
      f.data = va.frame;
      f.offset = 0;
      f.length = va.frameLength;
      f.timestamp = va.frameTimestamp;
      f.keyframe = va.frameIsKeyframe;
      this.sink?.writeFrame(f);
      if (!this.firstFrameSeen) {
        this.firstFrameSeen = true;
        this.hooks.firstFrame();
      }
    }
  }

  private videoTick(): void {
    const va = this.videoAssembler;
    if (!va || !this.canSendRtcp()) return;
    const now = monotonicMs();
    if (this.config?.nack) {
      const n = va.collectNacks(now, this.nackList);
      if (n > 0) this.sendFeedback((p) => writeNack(p, this.sender!.ssrc | 0, this.remoteSsrc | 0, this.nackList, n));
    }
    if (va.tick(now) && this.remoteSsrc >= 0) this.sendFeedback((p) => writePli(p, this.sender!.ssrc | 0, this.remoteSsrc | 0));
    this.drainVideo();
  }

  /** Asks the peer for a keyframe (PLI, RFC 4585 §6.3.1). */
  requestKeyframeFromPeer(): void {
    if (this.remoteSsrc >= 0 && this.canSendRtcp()) this.sendFeedback((p) => writePli(p, this.sender!.ssrc | 0, this.remoteSsrc | 0));
  }

  // ---- RTCP ------------------------------------------------------------------------------

  private canSendRtcp(): boolean {
    return !this.stopped && (this.secured || this.plain) && !!this.remoteRtcp && !!this.sender;
  }

  private readonly rtcpHandler: RtcpHandler = {
    onReport: (r) => {
      const now = monotonicMs();
      if (r.isSenderReport && this.receiver) this.receiver.onSenderReport(ntpMiddle32FromParts(r.ntpSeconds | 0, r.ntpFraction | 0), now);
      const t = ntpNow(this.ntp);
      const rtt = this.reporter.roundTripTimeUnitsFrom(r, ntpMiddle32FromParts(t.seconds | 0, t.fraction | 0));
      if (rtt >= 0) {
        this.lastRttMs = (rtt * 1000) / 65536;
        if (this.videoAssembler) this.videoAssembler.rttMs = this.lastRttMs;
      }
      for (let i = 0; i < r.reportCount; i++) {
        const b = r.reports[i];
        if (b.ssrc === this.ssrc) this.lastFractionLost = b.fractionLost / 256;
      }
    },
    onNack: (fb, bytes) => {
      const n = nackedSequenceNumbers(bytes, fb, this.nackList);
      for (let i = 0; i < n; i++) this.retransmit(this.nackList[i]);
    },
    onPli: () => this.keyframeRequested(),
    onFir: () => this.keyframeRequested(),
    onBye: () => this.hooks.remoteBye(),
  };

  private keyframeRequested(): void {
    this.source?.requestKeyframe();
    this.hooks.keyframeRequested();
  }

  private retransmit(seq: number): void {
    if (!this.canSend()) return;
    const p = this.rtpSocket.pool.take();
    if (this.history.copyTo(seq, p) !== true) {
      this.rtpSocket.pool.give(p);
      return;
    }
    if (this.tx && this.tx.protectRtp(p)) {
      this.drops.protectFailures++;
      this.rtpSocket.pool.give(p);
      return;
    }
    this.rtpSocket.send(p, this.remoteRtp!);
  }

  private onRtcp(p: PacketBuffer, socket: MediaSocket, from: RemoteInfo): void {
    try {
      if (this.stopped || !this.unprotect(p, 'rtcp')) return;
      this.lastAuthenticMs = monotonicMs();
      this.rtcpSeen = true;
      if (this.config) this.followAuthenticated(from, socket !== this.rtpSocket);
      const r = this.rtcpParser.parse(p.bytes, p.start, p.end, this.rtcpHandler);
      if (r.error) this.drops.malformed++;
    } finally {
      socket.pool.give(p);
    }
  }

  private rtcpSocketFor(): MediaSocket {
    // RFC 5761 §5.1.1: once mux is agreed, RTCP leaves from the RTP port even if an RTCP port was bound.
    if (this.config?.rtcpMux) return this.rtpSocket;
    return this.rtcpSocket ?? this.rtpSocket;
  }

  /** SR (or RR when not sending) + SDES CNAME, protected: every RTCP packet kind gets its trailer. */
  private sendRtcpReport(bye = false): void {
    if (!this.canSendRtcp()) return;
    const socket = this.rtcpSocketFor();
    const p = socket.pool.take();
    // §6.4.1: the NTP and RTP timestamps of an SR name the same instant.
    const t = ntpNow(this.ntp);
    this.reporter.writeCompound(p, this.sender, this.receivers, t.seconds | 0, t.fraction | 0, monotonicMs());
    if (bye) writeBye(p, this.ssrc | 0);
    this.transmitRtcp(socket, p);
  }

  private sendFeedback(write: (p: PacketBuffer) => unknown): void {
    const socket = this.rtcpSocketFor();
    const p = socket.pool.take();
    this.reporter.writeFeedbackHead(p);
    write(p);
    this.transmitRtcp(socket, p);
  }

  private transmitRtcp(socket: MediaSocket, p: PacketBuffer): void {
    if (this.tx) {
      const err = this.tx.protectRtcp(p);
      if (err) {
        this.drops.protectFailures++;
        socket.pool.give(p);
        return;
      }
    }
    socket.send(p, this.remoteRtcp!);
  }

  // ---- stats and teardown ------------------------------------------------------------------

  stats(codec: MediaCodecName | string): StreamStats {
    const now = performance.now();
    const dt = Math.max(1, now - this.lastStats.at) / 1000;
    const sendBitrate = this.lastStats.at ? ((this.bytesSent - this.lastStats.sent) * 8) / dt : 0;
    const recvBitrate = this.lastStats.at ? ((this.bytesReceived - this.lastStats.received) * 8) / dt : 0;
    this.lastStats = { at: now, sent: this.bytesSent, received: this.bytesReceived };
    const rx = this.receiver;
    const demux = this.rtpSocket?.counters;
    return {
      stream: this.kind,
      codec,
      sendBitrate,
      recvBitrate,
      packetsSent: this.packetsSent,
      packetsReceived: this.packetsReceived,
      packetsLost: rx ? Math.max(0, rx.cumulativeLost) : 0,
      fractionLost: this.lastFractionLost,
      jitterMs: rx ? (rx.jitter / rx.clockRate) * 1000 : 0,
      rttMs: this.lastRttMs,
      protectFailures: this.drops.protectFailures,
      dropped: {
        auth: this.drops.auth,
        replay: this.drops.replay,
        noKey: this.drops.noKey,
        malformed: this.drops.malformed,
        unknownPayloadType: this.drops.unknownPayloadType,
        late: this.drops.late,
        dtls: demux?.dtls ?? 0,
        short: demux?.short ?? 0,
        unknown: demux?.unknown ?? 0,
      },
      audioLevel: this.kind === 'audio' ? this.audioPeak / 127 : undefined,
    };
  }

  get protectFailures(): number {
    return this.drops.protectFailures;
  }

  /** Sends an RTCP BYE, stops, closes the sockets and zeroes the keys. */
  async close(): Promise<void> {
    if (this.stopped) return;
    try {
      this.sendRtcpReport(true);
    } catch {
      // best effort
    }
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.pacer) clearInterval(this.pacer);
    this.source?.close();
    this.sink?.close();
    this.tx?.dispose();
    this.rx?.dispose();
    this.tx = undefined;
    this.rx = undefined;
    await Promise.all([this.rtpSocket?.close(), this.rtcpSocket?.close()]);
  }
}

/** A rough audio level (peak magnitude 0..127) of a G.711 frame, for the meters; Opus frames report 0. */
function peakMagnitude(data: Uint8Array, offset: number, length: number, codec: string): number {
  if (codec !== 'PCMU' && codec !== 'PCMA') return 0;
  let peak = 0;
  for (let i = offset; i < offset + length; i++) {
    // Both laws put the magnitude in the low 7 bits, inverted for mu-law; good enough for a meter.
    const m = codec === 'PCMU' ? 0x7f - (data[i] & 0x7f) : (data[i] ^ 0x55) & 0x7f;
    if (m > peak) peak = m;
  }
  return peak;
}
