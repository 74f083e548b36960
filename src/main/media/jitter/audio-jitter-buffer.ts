// Adaptive audio jitter buffer. Frames go out in sequence order at their playout time:
// media time + the fastest recent transit + a playout delay. The target delay is how late the
// recent packets actually were against the packets after them (a high quantile over a window,
// lateness-window.ts; a stream that shifted as a whole moves the base instead; RFC 3550 A.8's
// jitter is kept for statistics only). The playout delay moves to the target without damage a
// person hears:
// - between talk spurts (RFC 3551 §4.1: a marker bit, or a timestamp jump after silence/DTX);
// - within a continuous stream (no DTX), at quiet frames, which the stream says with `isQuiet`
//   (the pause between words is a spurt boundary too): a quiet frame after a quiet one is dropped
//   to shorten the delay, or one frame is concealed before it to lengthen it (concealment after
//   a quiet frame is quiet);
// - at a hole, only when packets have been arriving late recently: a frame missing when due is
//   concealed once ('stretch') and then played when it arrives late instead of being thrown away.
//   A hole that is a loss is no evidence for more delay: a lost packet adds no lateness.
// A frame still missing is 'lost' so the decoder conceals it; packets arriving after their slot
// went out are dropped and counted (their lateness raises the target), as are duplicates.
// Reordering within the delay costs nothing: slots are by sequence number. The clock is the
// caller's (`nowMs` arguments): tests replay it.
// Fixed memory: `capacity` slots of `slotSize` bytes; nothing is allocated per packet. For that,
// sequence numbers and timestamps are kept relative to the first packet (small integers, which
// V8 passes between functions unboxed) and no fractional value crosses a call.

import { copyBytes } from '../rtp/bytes';
import { LatenessWindow } from './lateness-window';
import { unwrapSequence, unwrapTimestamp } from './sequence';

/** Whether the payload `slab[start, end)` is silent or nearly so (codec-specific; g711-quiet.ts for G.711). */
export type QuietFrameTest = (slab: Uint8Array, start: number, end: number) => boolean;

export interface AudioJitterBufferOptions {
  clockRate: number;
  /** Timestamp units per frame (160 for 20 ms G.711, 960 for 20 ms Opus). */
  frameDuration: number;
  capacity?: number;
  slotSize?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /**
   * The target delay lets this share of recent packets play on time (default 0.95). Not 0.99: on
   * a loaded host the last percent or two of lateness is event-loop stalls (sender, relay,
   * receiver) of 50–150 ms; covering them held the delay 30–40 ms higher for a few late frames
   * and moved it up and down more often (each move costs a frame). Replaying eight recorded bench
   * arrival traces (0 %/5 % loss, 0/30 ms jitter) with the reference speech: bad frames 47 (0.99)
   * → 39 (0.97) → 35 (0.95) in all, the delay equal or 20 ms lower on each; a late frame whose
   * successor is here is interpolated (g711-plc.ts).
   */
  onTimeShare?: number;
  /** How many recent packets the target is taken over (default 512: about 10 s of 20 ms frames; long, so a few stalls do not move the delay up and down). */
  latenessWindow?: number;
  /** Where the delay may change inside a continuous stream; without it, only between spurts and at holes. */
  isQuiet?: QuietFrameTest;
}

export type AudioPushResult = 'queued' | 'late' | 'duplicate' | 'too-large' | 'resync';
/** 'lost': conceal one frame (a missing frame, or a stretch that raises the delay in a spurt). */
export type AudioPopResult = 'frame' | 'lost' | 'wait' | 'empty';

export interface AudioJitterCounters {
  queued: number;
  late: number;
  duplicate: number;
  lost: number;
  /** Concealed frames inserted (at a hole or before a quiet frame) to raise the delay within a spurt. */
  stretched: number;
  /** Quiet frames dropped to lower the delay within a spurt. */
  shrunk: number;
  played: number;
  resyncs: number;
  tooLarge: number;
}

/**
 * Public members: its fixed configuration, counters, and the popped frame as fields into the slab
 * (frameStart/frameEnd/…) instead of a returned object, so playout allocates nothing; hence more
 * than fifteen.
 */
export class AudioJitterBuffer {
  readonly clockRate: number;
  readonly frameDuration: number;
  readonly capacity: number;
  readonly slotSize: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly onTimeShare: number;
  readonly counters: AudioJitterCounters = { queued: 0, late: 0, duplicate: 0, lost: 0, stretched: 0, shrunk: 0, played: 0, resyncs: 0, tooLarge: 0 };
  /** Interarrival jitter estimate in ms (A.8), for statistics. */
  jitterMs = 0;
  /** The delay beyond the fastest transit seen that recent packets needed, in ms. */
  targetDelayMs = 0;
  /** The delay frames are played out with, in ms: moves to the target between spurts and at quiet frames. */
  playoutDelayMs = 0;

  /** After a 'frame' pop: the payload is `slab[frameStart, frameEnd)`, valid until the next push. */
  readonly slab: Uint8Array;
  frameStart = 0;
  frameEnd = 0;
  /**
   * Timestamp units one packet carries, learned from consecutive packets (a peer may send 10 or
   * 30 ms where `frameDuration` expects 20): a lost packet is this long, and only a larger step
   * in timestamps is a silence between talk spurts.
   */
  packetDuration: number;
  /** RTP timestamp and sequence number of the frame (or lost frame) just popped. */
  frameTimestamp = 0;
  frameSequence = 0;
  /**
   * After a 'lost' pop for a missing packet: the packet right after it, if it is already here and
   * follows it without a gap, is `slab[followingStart, followingEnd)` (empty otherwise). Its
   * in-band FEC can rebuild the lost frame (Opus LBRR, RFC 6716 §2.1.7); it stays in the buffer
   * and plays next as usual.
   */
  followingStart = 0;
  followingEnd = 0;

  private readonly lengths: Int32Array;
  private readonly slotSeq: Float64Array;
  private readonly slotTs: Float64Array;
  private readonly slotMarker: Uint8Array;
  private started = false;
  /** RTP timestamp of the first packet: the buffer's timestamps are relative to it. */
  private timestampBase = 0;
  /** Extended sequence number of the next frame to play. */
  private playSeq = 0;
  /** Extended relative timestamp of the frame (or lost frame) played last. */
  private lastPlayedTs = 0;
  private highestSeq = 0;
  private lastTs = 0;
  /** Whether `highestSeq`/`lastTs` describe a packet received since the start or resync. */
  private havePacket = false;
  private lastStep = 0;
  /** `packetDuration` was learned (until then a step in timestamps is no sign of a silence). */
  private packetDurationKnown = false;
  /** Recent packets' lateness; its base is the smallest (arrival - media time) seen. */
  private readonly lateness: LatenessWindow;
  private lastTransitMs = 0;
  private readonly isQuiet: QuietFrameTest | undefined;
  /** The last frame played was quiet: a quiet frame after it may be dropped, or preceded by a concealed one. */
  private lastPlayedQuiet = false;
  /** Frames to play before a hole no longer counts as a likely late packet (set by a late arrival). */
  private lateEvidenceFrames = 0;
  /** No frame played since the start or a resync: the next present frame begins a spurt. */
  private awaitingSpurt = true;
  /** The lateness the target covers, before the minimum and maximum delay bound it (ms). */
  private latenessMs = 0;
  /** The caller's clock at the last `pop` (0: none yet). */
  private lastPopMs = 0;

  constructor(opts: AudioJitterBufferOptions) {
    this.clockRate = opts.clockRate;
    this.frameDuration = opts.frameDuration;
    this.capacity = opts.capacity ?? 64;
    this.slotSize = opts.slotSize ?? 1500;
    this.minDelayMs = opts.minDelayMs ?? 20;
    this.maxDelayMs = opts.maxDelayMs ?? 300;
    this.onTimeShare = opts.onTimeShare ?? 0.95;
    this.isQuiet = opts.isQuiet;
    this.lateness = new LatenessWindow(opts.latenessWindow ?? 512, this.maxDelayMs);
    this.targetDelayMs = this.minDelayMs;
    this.playoutDelayMs = this.minDelayMs;
    this.packetDuration = this.frameDuration;
    this.slab = new Uint8Array(this.capacity * this.slotSize);
    this.lengths = new Int32Array(this.capacity);
    this.slotSeq = new Float64Array(this.capacity).fill(-1);
    this.slotTs = new Float64Array(this.capacity);
    this.slotMarker = new Uint8Array(this.capacity);
  }

  /** Frames waiting in the buffer. */
  get size(): number {
    let n = 0;
    for (let s = this.playSeq; s <= this.highestSeq; s++) if (this.slotSeq[s % this.capacity] === s) n++;
    return n;
  }

  /**
   * Stores the payload `bytes[start, end)` of the packet (`seq`, `timestamp`) arriving at
   * `arrivalMs`. The timestamp may be given unsigned or as its signed 32-bit pattern (`ts | 0`).
   * `marker`: the RTP marker bit, set on the first packet of a talk spurt (RFC 3551 §4.1).
   */
  push(seq: number, timestamp: number, bytes: Uint8Array, start: number, end: number, arrivalMs: number, marker = false): AudioPushResult {
    if (end - start > this.slotSize) {
      this.counters.tooLarge++;
      return 'too-large';
    }
    let result: AudioPushResult = 'queued';
    if (!this.started) {
      this.restart(seq, timestamp, arrivalMs);
    }
    let ext = unwrapSequence(seq, this.playSeq);
    if (ext < this.playSeq) {
      // Too late to play, but how late it was is what the target must cover.
      this.counters.late++;
      this.lateEvidenceFrames = LATE_EVIDENCE_FRAMES;
      this.updateJitter(unwrapTimestamp((timestamp - this.timestampBase) | 0, this.lastTs), arrivalMs);
      return 'late';
    }
    if (ext >= this.playSeq + this.capacity) {
      // Far ahead of the playout point: the sender restarted or we stalled; start over from here.
      this.counters.resyncs++;
      this.restart(seq, timestamp, arrivalMs);
      ext = this.playSeq;
      result = 'resync';
    }
    const slot = ext % this.capacity;
    if (this.slotSeq[slot] === ext) {
      this.counters.duplicate++;
      return 'duplicate';
    }
    const ts = unwrapTimestamp((timestamp - this.timestampBase) | 0, this.lastTs);
    this.slotSeq[slot] = ext;
    this.slotTs[slot] = ts;
    this.slotMarker[slot] = marker ? 1 : 0;
    this.lengths[slot] = end - start;
    copyBytes(bytes, start, end, this.slab, slot * this.slotSize);
    if (ext > this.highestSeq) {
      // The packet right after the newest one tells how much time a packet carries; two equal
      // steps in a row are needed, so the jump over a silence (DTX) is not taken for one.
      const step = ext === this.highestSeq + 1 && this.havePacket ? ts - this.lastTs : 0;
      if (step > 0 && step === this.lastStep) {
        this.packetDuration = step;
        this.packetDurationKnown = true;
      }
      this.lastStep = step;
      this.highestSeq = ext;
      this.lastTs = ts;
      this.havePacket = true;
    }
    this.updateJitter(ts, arrivalMs);
    if (result === 'queued') this.counters.queued++;
    return result;
  }

  /**
   * Releases the next frame if its playout time has come: 'frame' (payload in `slab`), 'lost'
   * (conceal one frame), 'wait' (call again later) or 'empty' (nothing buffered).
   */
  pop(nowMs: number): AudioPopResult {
    this.lastPopMs = nowMs;
    this.followingStart = this.followingEnd = 0;
    const packetMs = (this.packetDuration * 1000) / this.clockRate;
    while (true) {
      if (!this.started || this.playSeq > this.highestSeq) return 'empty';
      const slot = this.playSeq % this.capacity;
      const present = this.slotSeq[slot] === this.playSeq;
      const ts = present ? this.slotTs[slot] : this.missingFrameTs();
      // Between spurts the delay moves to the target: the silence before this frame absorbs it.
      if (this.awaitingSpurt || (this.packetDurationKnown && ts > this.expectedTs()) || (present && this.slotMarker[slot] === 1)) this.playoutDelayMs = this.targetDelayMs;
      if (!this.isDue(ts, nowMs)) return 'wait';
      this.frameSequence = this.playSeq & 0xffff;
      this.frameTimestamp = (ts + this.timestampBase) >>> 0;
      const wantsMore = this.targetDelayMs > this.playoutDelayMs + GROW_TOLERANCE_MS && this.playoutDelayMs + packetMs <= this.maxDelayMs;
      if (!present) {
        if (wantsMore && this.lateEvidenceFrames > 0) {
          // Packets have been late and the target wants more: conceal one frame without moving
          // on, so if this one is late too it still plays (the hole is concealed either way).
          return this.stretch(packetMs);
        }
        this.playSeq++;
        this.lastPlayedTs = ts;
        this.lastPlayedQuiet = false;
        this.counters.lost++;
        this.noteFollowing(ts);
        return 'lost';
      }
      const start = slot * this.slotSize;
      const quiet = this.isQuiet !== undefined && this.isQuiet(this.slab, start, start + this.lengths[slot]);
      const inPause = quiet && this.lastPlayedQuiet;
      if (inPause && wantsMore) {
        // In a pause: one concealed frame (quiet, after a quiet frame) lengthens it.
        return this.stretch(packetMs);
      }
      this.playSeq++;
      this.lastPlayedTs = ts;
      this.slotSeq[slot] = -1;
      if (inPause && this.playoutDelayMs - packetMs >= this.shrinkFloorMs() && this.slotSeq[this.playSeq % this.capacity] === this.playSeq) {
        // In a pause, with the next frame here: leave this quiet frame out to shorten it; the
        // next frame is then due now.
        this.playoutDelayMs -= packetMs;
        this.counters.shrunk++;
        continue;
      }
      this.lastPlayedQuiet = quiet;
      this.awaitingSpurt = false;
      this.frameStart = start;
      this.frameEnd = start + this.lengths[slot];
      this.counters.played++;
      if (this.lateEvidenceFrames > 0) this.lateEvidenceFrames--;
      return 'frame';
    }
  }

  /** When the frame at the head of the buffer is due, in the caller's clock (NaN when empty). */
  nextPlayoutTimeMs(): number {
    if (!this.started || this.playSeq > this.highestSeq) return NaN;
    const slot = this.playSeq % this.capacity;
    return this.playoutTimeMs(this.slotSeq[slot] === this.playSeq ? this.slotTs[slot] : this.missingFrameTs());
  }

  /**
   * The timestamp the missing head frame must have had: right after the last one played, or, if
   * a later frame says so, after a silence (DTX): then it begins a new spurt, and its lateness
   * is measured from there rather than from the end of the previous spurt.
   */
  private missingFrameTs(): number {
    for (let s = this.playSeq + 1; s <= this.highestSeq; s++) {
      const slot = s % this.capacity;
      if (this.slotSeq[slot] !== s) continue;
      return Math.max(this.expectedTs(), this.slotTs[slot] - (s - this.playSeq) * this.packetDuration);
    }
    return this.expectedTs();
  }

  /** The timestamp the next frame carries if no silence came in between (one packet on from the last played). */
  private expectedTs(): number {
    return this.lastPlayedTs + this.packetDuration;
  }

  /**
   * The delay may shrink to this: the target, or more than it by `SHRINK_SLACK_MS` when the
   * target is a measured lateness rather than the minimum, so that a lateness wavering by a few
   * milliseconds does not move the delay down and up again (each move is heard once).
   */
  private shrinkFloorMs(): number {
    const floor = this.latenessMs + SHRINK_SLACK_MS;
    return floor < this.targetDelayMs ? this.targetDelayMs : floor > this.maxDelayMs ? this.maxDelayMs : floor;
  }

  /** Points `followingStart/End` at the next packet if it is here and carries the frame after `lostTs`. */
  private noteFollowing(lostTs: number): void {
    const slot = this.playSeq % this.capacity;
    if (this.slotSeq[slot] !== this.playSeq || this.slotTs[slot] !== lostTs + this.packetDuration) return;
    this.followingStart = slot * this.slotSize;
    this.followingEnd = this.followingStart + this.lengths[slot];
  }

  /** Conceals one frame without moving on: the playout delay grows by a packet. */
  private stretch(packetMs: number): AudioPopResult {
    this.playoutDelayMs += packetMs;
    this.counters.stretched++;
    return 'lost';
  }

  private playoutTimeMs(ts: number): number {
    return (ts * 1000) / this.clockRate + this.lateness.baseTransitMs + this.playoutDelayMs;
  }

  /** `nowMs >= playoutTimeMs(ts)`, answered with a boolean so no fractional time is returned. */
  private isDue(ts: number, nowMs: number): boolean {
    return nowMs >= (ts * 1000) / this.clockRate + this.lateness.baseTransitMs + this.playoutDelayMs;
  }

  private restart(seq: number, timestamp: number, arrivalMs: number): void {
    this.started = true;
    this.awaitingSpurt = true;
    this.slotSeq.fill(-1);
    // Extended sequence numbers start one cycle up so that early reordering never goes negative;
    // timestamps count from this packet's (earlier packets are negative, which is fine).
    this.playSeq = 0x10000 + seq;
    this.highestSeq = this.playSeq - 1;
    this.timestampBase = timestamp >>> 0;
    this.lastTs = 0;
    this.havePacket = false;
    // The first packet (relative timestamp 0) is the one expected next.
    this.lastPlayedTs = -this.packetDuration;
    this.lateness.reset(arrivalMs);
    this.lastTransitMs = arrivalMs;
    this.lastPlayedQuiet = false;
    this.lateEvidenceFrames = 0;
  }

  private updateJitter(ts: number, arrivalMs: number): void {
    const transit = arrivalMs - (ts * 1000) / this.clockRate;
    this.jitterMs += (Math.abs(transit - this.lastTransitMs) - this.jitterMs) / 16;
    this.lastTransitMs = transit;
    // Popped long ago: our own thread stalled, and read this packet late (not the network's doing).
    this.lateness.add(transit, arrivalMs, !(this.lastPopMs > 0 && arrivalMs - this.lastPopMs > RECEIVER_STALL_MS));
    const wanted = this.lateness.quantileMs(this.onTimeShare);
    this.latenessMs = wanted;
    this.targetDelayMs = wanted < this.minDelayMs ? this.minDelayMs : wanted > this.maxDelayMs ? this.maxDelayMs : wanted;
  }
}

/**
 * The target must exceed the playout delay by this much before a frame is inserted: a target
 * wavering by a millisecond around the delay does not move it up and down (each move is heard once).
 */
const GROW_TOLERANCE_MS = 2;
/** See `shrinkFloorMs`. */
const SHRINK_SLACK_MS = 10;
/** Pops (every 10–20 ms in the worker) further apart than this mean the receiving thread stalled. */
const RECEIVER_STALL_MS = 45;
/** After a late arrival, holes in the next second of frames may be late packets: stretch at them. */
const LATE_EVIDENCE_FRAMES = 50;
