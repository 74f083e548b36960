// The sending half of one stream: frames in (paced from a file/tone source, or pushed by the
// renderer), RTP out (RFC 3550 §5), VP8 packetized (RFC 7741), DTMF as telephone-events in place
// of audio (RFC 4733), and the history NACKed packets are retransmitted from (RFC 4585 §6.2.1).
// Packets are PacketBuffers from the socket's pool; nothing is allocated per packet.

import type { PacketBuffer } from '../../../../crypto/packet-buffer';
import { monotonicMs } from '../clock';
import { sharedIntervals, type SharedIntervals } from '../shared-interval';
import { writeRtpHeader, appendBytes, RtpSenderState, RtpSendHistory } from '../../rtp';
import { Vp8Packetizer, TelephoneEventSender, dtmfEventCode } from '../../payload';
import { createEncodedFrame, type EncodedFrame, type MediaSource } from '../../sources';
import type { StreamStart } from '../../worker-protocol';
import type { StreamKeys } from './stream-keys';
import type { StreamPath } from './stream-path';

/** How long each digit plays and the pause before the next (the sender's choice, RFC 4733 §2.5.1). */
const DTMF_DURATION_MS = 100;
const DTMF_GAP_MS = 60;

export class RtpSender {
  /** RTP state (sequence number, timestamps, SR counts); set at start. */
  state: RtpSenderState | undefined;
  muted = false;
  /** The direction lets us send (sendrecv or sendonly, RFC 3264 §6.1). */
  enabled = true;
  packetsSent = 0;
  bytesSent = 0;
  /** Peak magnitude (0..127) of the last G.711 frame sent; stats scale it to 0..1. */
  audioPeak = 0;
  private config: StreamStart | undefined;
  private source: MediaSource | undefined;
  private packetizer: Vp8Packetizer | undefined;
  private readonly history = new RtpSendHistory({ capacity: 512 });
  private readonly dtmfSender = new TelephoneEventSender(8000, 20);
  private readonly dtmfQueue: string[] = [];
  private dtmfGapUntil = 0;
  private readonly frame: EncodedFrame = createEncodedFrame();
  /** Leaves the shared interval the pacer ticks on (shared-interval.ts). */
  private pacer: (() => void) | undefined;
  private pacerStart = 0;
  private pacerFrames = 0;
  private stopped = false;
  /** RTP timestamp of the last audio packet sent (-1: none yet): a jump means a silence (DTX) ended. */
  private lastAudioTimestamp = -1;
  private readonly fields = { marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, csrcCount: 0, csrc: new Uint32Array(0) };

  constructor(
    private readonly kind: 'audio' | 'video',
    readonly ssrc: number,
    private readonly path: StreamPath,
    private readonly keys: StreamKeys,
    /** The ticks the pacer runs on and the clock it counts frames by (a test's fake ones). */
    private readonly intervals: SharedIntervals = sharedIntervals,
  ) {}

  start(cfg: StreamStart, source: MediaSource | undefined, initialSequenceNumber: number, initialTimestamp: number, pictureId: number): void {
    this.config = cfg;
    this.source = source;
    this.state = new RtpSenderState({ ssrc: this.ssrc, clockRate: cfg.codec.clockRate, initialSequenceNumber, initialTimestamp });
    if (this.kind === 'video') this.packetizer = new Vp8Packetizer(pictureId);
  }

  private canSend(): boolean {
    return !this.stopped && this.enabled && this.keys.ready && this.path.rtpDestination !== undefined && this.state !== undefined;
  }

  /**
   * Paces a file/tone source at its frame rate, drift-free: each tick sends the frames due by the
   * clock since the start. One interval of one frame (a timeout per frame would allocate a
   * Timeout per packet; a finer interval wakes the thread more often than packets leave): Node
   * re-arms an interval from the loop's whole-millisecond clock, so ticks stay within a
   * millisecond or so of the frame times, and a frame counts as due half a frame early, so a tick
   * a little early or late still sends exactly one. `eachTick` runs after every tick, also once
   * the source has ended: the audio playout shares the wake-up. Returns false when there is
   * nothing to pace (no source, or frames pushed by the renderer).
   */
  startPacer(eachTick?: () => void): boolean {
    const src = this.source;
    if (!src || src.frameDuration <= 0 || this.config?.source.kind === 'frames') return false;
    const frameMs = (src.frameDuration * 1000) / src.clockRate;
    const periodMs = Math.max(1, Math.floor(frameMs));
    // The tick is shared with every other callback of this period (the video stream's upkeep):
    // joining one that runs, frames count from its nearest tick, so they fall due on its ticks.
    const now = this.intervals.now();
    const last = this.intervals.lastTickMs(periodMs);
    this.pacerStart = last === undefined ? now : last + Math.round((now - last) / periodMs) * periodMs;
    this.pacerFrames = 0;
    let ended = false;
    const step = (): void => {
      if (this.stopped) return;
      const due = Math.floor((this.intervals.now() - this.pacerStart + frameMs / 2) / frameMs) + 1;
      // After a stall send at most a few frames at once; the rest is skipped (real time).
      let budget = 3;
      while (!ended && this.pacerFrames < due && budget-- > 0) {
        this.pacerFrames++;
        if (!src.readFrame(this.frame)) {
          ended = true;
          if (!eachTick) {
            this.pacer?.();
            this.pacer = undefined;
          }
          break;
        }
        this.sendFrame(this.frame);
      }
      if (this.pacerFrames < due) this.pacerFrames = due;
      eachTick?.();
    };
    this.pacer = this.intervals.everyMs(periodMs, step);
    step();
    return true;
  }

  /** Sends one encoded frame (from a paced source or pushed by the renderer). */
  sendFrame(f: EncodedFrame): void {
    if (!this.canSend() || !this.config) return;
    const s = this.state!;
    const ts = s.rtpTimestamp(f.timestamp);
    const pool = this.path.rtpSocket.pool;
    if (this.kind === 'audio') {
      if (this.sendDtmfPacket(ts)) return;
      if (this.muted) return;
      this.audioPeak = peakMagnitude(f.data, f.offset, f.length, this.config.codec.name);
      // RFC 3551 §4.1: the marker bit on the first packet of a talk spurt, after a silence in
      // which nothing was sent (Opus DTX, mute); the receiver moves its playout delay there.
      const frameDuration = this.config.codec.name === 'opus' ? 960 : 160;
      const spurtStart = this.lastAudioTimestamp < 0 || ((ts - this.lastAudioTimestamp) | 0) > frameDuration;
      this.lastAudioTimestamp = ts >>> 0;
      const p = pool.take();
      writeRtpHeader(p, this.rtpFields(spurtStart, this.config.codec.payloadType, s.takeSequenceNumber(), ts));
      appendBytes(p, f.data, f.offset, f.offset + f.length);
      this.transmit(p, f.length, ts);
      return;
    }
    const pk = this.packetizer!;
    pk.begin(f.data, f.offset, f.offset + f.length);
    while (!pk.done) {
      const p = pool.take();
      const last = pk.nextIsLast;
      const headerStart = p.end;
      writeRtpHeader(p, this.rtpFields(last, this.config.codec.payloadType, s.takeSequenceNumber(), ts));
      const payloadStart = p.end;
      pk.writeNext(p);
      this.history.store(p.bytes, headerStart, p.end);
      this.transmit(p, p.end - payloadStart, ts);
    }
  }

  private rtpFields(marker: boolean, pt: number, seq: number, ts: number) {
    const f = this.fields;
    f.marker = marker;
    f.payloadType = pt;
    f.sequenceNumber = seq;
    f.timestamp = ts;
    f.ssrc = this.ssrc;
    return f;
  }

  private transmit(p: PacketBuffer, payloadLength: number, ts: number): void {
    this.state!.onPacketSent(payloadLength, ts, monotonicMs());
    if (!this.keys.protect(p, false)) {
      this.path.rtpSocket.pool.give(p);
      return;
    }
    this.packetsSent++;
    this.bytesSent += p.length;
    this.path.rtpSocket.send(p, this.path.rtpDestination!);
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
      this.dtmfSender.begin(dtmfEventCode(digit), DTMF_DURATION_MS, ts);
    }
    const p = this.path.rtpSocket.pool.take();
    const headerStart = p.end;
    writeRtpHeader(p, this.rtpFields(false, te.payloadType, this.state!.takeSequenceNumber(), this.dtmfSender.timestamp));
    this.dtmfSender.writeNext(p);
    if (this.dtmfSender.marker) p.bytes[headerStart + 1] |= 0x80;
    if (!this.dtmfSender.active) this.dtmfGapUntil = now + DTMF_GAP_MS;
    this.transmit(p, 4, this.dtmfSender.timestamp);
    return true;
  }

  /** The peer NACKed `seq` (RFC 4585 §6.2.1): sent again from the history, if still there. */
  retransmit(seq: number): void {
    if (!this.canSend()) return;
    const pool = this.path.rtpSocket.pool;
    const p = pool.take();
    if (this.history.copyTo(seq, p) !== true || !this.keys.protect(p, false)) {
      pool.give(p);
      return;
    }
    this.path.rtpSocket.send(p, this.path.rtpDestination!);
  }

  /** The peer asked for a keyframe (PLI/FIR), or a new receiver needs one: a file source makes it. */
  requestKeyframe(): void {
    this.source?.requestKeyframe();
  }

  stop(): void {
    this.stopped = true;
    this.pacer?.();
    this.pacer = undefined;
    this.source?.close();
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
