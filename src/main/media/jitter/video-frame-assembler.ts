// VP8 frame assembly for the receiver: packets are kept by sequence number in a fixed ring, a
// frame is released once every packet from its start (S=1, PID=0) to its marker is there and
// frames come out in order. Missing sequence numbers are NACKed (RFC 4585 §6.2.1) at most
// `maxNackRetries` times, spaced by the RTT; when a frame can't be completed in `maxWaitMs`, it
// and everything depending on it is dropped and a keyframe is requested (PLI, RFC 4585 §6.3.1).
// Nothing is allocated per packet, and a payload is copied once (issue 23): the ring keeps a
// reference to each packet's bytes (the caller's pooled buffer, given back through `release` once
// its frame is out or dropped), and a complete frame's payloads are copied once into either one
// reused buffer or, for a sink that keeps frames, a fresh buffer of its own that is handed on
// (transferred) without another copy.

import { createVp8Descriptor, isVp8KeyframeStart, parseVp8Descriptor } from '../payload/vp8-descriptor';
import type { RtpHeader } from '../rtp/header';
import { unwrapSequence } from './sequence';

/**
 * Buffer's fill copies its value's bytes into [offset, end) with one memcpy and makes no view; a
 * JS loop reading a PacketBuffer (a resizable ArrayBuffer's view) costs ~30 ns a byte on Node 20.
 */
const nativeFill = Buffer.prototype.fill;

export interface VideoFrameAssemblerOptions<Owner = unknown> {
  /** Packets kept; a frame larger than this many packets can never complete. */
  capacity?: number;
  /** Largest VP8 payload accepted from one packet. */
  maxPayload?: number;
  maxNackRetries?: number;
  /** How long a frame may stay incomplete before it is given up. */
  maxWaitMs?: number;
  /** Shortest spacing between two keyframe requests. */
  keyframeRequestIntervalMs?: number;
  /**
   * Set: each frame is written into a fresh buffer with at least this many spare bytes in front
   * (`frameOffset`), which the sink may keep and transfer (the spare bytes take the wire header in
   * place). Unset: frames share one reused buffer, valid until the next `pollFrame`.
   */
  freshFrameHeadroom?: number;
  /**
   * Called once with the owner `push` was given for a packet it stored, when the assembler no
   * longer reads that packet's bytes (its frame was released or dropped, or `releaseAll`).
   */
  release?: (owner: Owner) => void;
}

export type VideoPushResult = 'stored' | 'duplicate' | 'old' | 'malformed' | 'too-large';

export interface VideoAssemblerCounters {
  packets: number;
  duplicates: number;
  old: number;
  malformed: number;
  framesAssembled: number;
  /** Frames (or runs of packets) given up for losses or while waiting for a keyframe. */
  framesDropped: number;
  nacksSent: number;
  keyframeRequests: number;
}

const FLAG_PRESENT = 1;
const FLAG_MARKER = 2;
const FLAG_FRAME_START = 4;
const FLAG_KEYFRAME = 8;

/**
 * Public members: its fixed configuration, counters, and the released frame as fields
 * (frame/frameLength/…) instead of a returned object, so assembly allocates nothing; hence more
 * than fifteen.
 */
export class VideoFrameAssembler<Owner = unknown> {
  readonly capacity: number;
  readonly maxPayload: number;
  readonly maxNackRetries: number;
  readonly maxWaitMs: number;
  readonly keyframeRequestIntervalMs: number;
  readonly freshFrameHeadroom: number | undefined;
  readonly counters: VideoAssemblerCounters = {
    packets: 0,
    duplicates: 0,
    old: 0,
    malformed: 0,
    framesAssembled: 0,
    framesDropped: 0,
    nacksSent: 0,
    keyframeRequests: 0,
  };
  /** Round-trip time used to space NACK retries (from RTCP, §6.4.1). */
  rttMs = 50;

  /** The last frame `pollFrame` released: `frame[frameOffset, frameOffset + frameLength)`. */
  frame: Uint8Array;
  frameOffset = 0;
  frameLength = 0;
  frameTimestamp = 0;
  frameIsKeyframe = false;

  /** Each slot's packet: the bytes pushed (read until the slot is cleared) and their owner. */
  private readonly packetBytes: (Uint8Array | undefined)[];
  private readonly owners: (Owner | undefined)[];
  private readonly release: ((owner: Owner) => void) | undefined;
  private readonly slotSeq: Float64Array;
  private readonly flags: Uint8Array;
  private readonly payloadStart: Int32Array;
  private readonly payloadLength: Int32Array;
  private readonly timestamps: Uint32Array;
  private readonly arrival: Float64Array;
  private readonly nackCount: Uint8Array;
  private readonly lastNackMs: Float64Array;
  private readonly descriptor = createVp8Descriptor();
  private started = false;
  /** Extended sequence number where the next frame starts. */
  private nextSeq = 0;
  private highestSeq = 0;
  /** No decodable reference: drop everything until a keyframe start. */
  private waitingForKeyframe = true;
  /** When the head frame started waiting (for `maxWaitMs`). */
  private headSinceMs = -1;
  private lastKeyframeRequestMs = -Infinity;

  constructor(opts: VideoFrameAssemblerOptions<Owner> = {}) {
    this.capacity = opts.capacity ?? 512;
    this.maxPayload = opts.maxPayload ?? 1500;
    this.maxNackRetries = opts.maxNackRetries ?? 3;
    this.maxWaitMs = opts.maxWaitMs ?? 500;
    this.keyframeRequestIntervalMs = opts.keyframeRequestIntervalMs ?? 250;
    this.freshFrameHeadroom = opts.freshFrameHeadroom;
    this.packetBytes = new Array<Uint8Array | undefined>(this.capacity).fill(undefined);
    this.owners = new Array<Owner | undefined>(this.capacity).fill(undefined);
    this.release = opts.release;
    this.slotSeq = new Float64Array(this.capacity).fill(-1);
    this.flags = new Uint8Array(this.capacity);
    this.payloadStart = new Int32Array(this.capacity);
    this.payloadLength = new Int32Array(this.capacity);
    this.timestamps = new Uint32Array(this.capacity);
    this.arrival = new Float64Array(this.capacity);
    this.nackCount = new Uint8Array(this.capacity);
    this.lastNackMs = new Float64Array(this.capacity);
    this.frame = new Uint8Array(this.freshFrameHeadroom === undefined ? 256 * 1024 : 0);
  }

  /** True while frames are dropped until a keyframe arrives (a PLI is due). */
  get needsKeyframe(): boolean {
    return this.waitingForKeyframe;
  }

  /**
   * Stores one RTP packet (already SRTP-checked) whose header is `h`. On 'stored' the assembler
   * keeps `bytes` (not a copy): the caller must not change or reuse them until `release(owner)`
   * (or, without an owner, ever). Any other result keeps nothing.
   */
  push(bytes: Uint8Array, h: RtpHeader, nowMs: number, owner?: Owner): VideoPushResult {
    const d = this.descriptor;
    if (parseVp8Descriptor(bytes, h.payloadStart, h.payloadEnd, d)) {
      this.counters.malformed++;
      return 'malformed';
    }
    const length = h.payloadEnd - d.payloadStart;
    if (length > this.maxPayload) {
      this.counters.malformed++;
      return 'too-large';
    }
    const frameStart = d.startOfPartition && d.partitionIndex === 0;
    const keyframe = frameStart && isVp8KeyframeStart(bytes, d);
    if (!this.started) {
      this.started = true;
      this.nextSeq = 0x10000 + h.sequenceNumber;
      this.highestSeq = this.nextSeq - 1;
      this.headSinceMs = nowMs;
    }
    const ext = unwrapSequence(h.sequenceNumber, this.highestSeq);
    if (ext < this.nextSeq && this.waitingForKeyframe && this.highestSeq - ext < this.capacity) {
      // Nothing is being released yet: a reordered earlier packet (perhaps the keyframe's first)
      // is still welcome.
      for (let s = ext + 1; s < this.nextSeq; s++) this.markMissing(s);
      this.nextSeq = ext;
    }
    if (ext < this.nextSeq) {
      this.counters.old++;
      return 'old';
    }
    if (ext >= this.nextSeq + this.capacity) {
      // The ring can't hold the gap: everything up to here is lost, and with it the references.
      this.dropUntil(ext - this.capacity + 1, nowMs);
      this.counters.framesDropped++;
      this.waitingForKeyframe = true;
    }
    const slot = ext % this.capacity;
    if (this.slotSeq[slot] === ext && this.flags[slot] & FLAG_PRESENT) {
      this.counters.duplicates++;
      return 'duplicate';
    }
    this.clearSlot(slot);
    this.slotSeq[slot] = ext;
    this.flags[slot] =
      FLAG_PRESENT | (h.marker ? FLAG_MARKER : 0) | (frameStart ? FLAG_FRAME_START : 0) | (keyframe ? FLAG_KEYFRAME : 0);
    this.timestamps[slot] = h.timestamp;
    this.arrival[slot] = nowMs;
    this.payloadStart[slot] = d.payloadStart;
    this.payloadLength[slot] = length;
    this.packetBytes[slot] = bytes;
    this.owners[slot] = owner;
    if (ext > this.highestSeq) {
      // Sequence numbers skipped over start their NACK history fresh.
      for (let s = this.highestSeq + 1; s < ext; s++) this.markMissing(s);
      this.highestSeq = ext;
    }
    this.counters.packets++;
    if (this.waitingForKeyframe && keyframe) {
      this.dropUntil(ext, nowMs);
      this.waitingForKeyframe = false;
    }
    return 'stored';
  }

  /**
   * Releases the next complete frame into `frame` and returns true; false when the head frame is
   * still incomplete (or nothing is buffered).
   */
  pollFrame(): boolean {
    if (!this.started || this.waitingForKeyframe) return false;
    const first = this.nextSeq;
    const firstSlot = first % this.capacity;
    if (!this.isPresent(first)) return false;
    if (!(this.flags[firstSlot] & FLAG_FRAME_START)) {
      // The head is the middle of a frame whose start is gone: no decodable frame here.
      this.giveUp();
      return false;
    }
    const ts = this.timestamps[firstSlot];
    let last = first;
    while (true) {
      if (!this.isPresent(last)) return false;
      const slot = last % this.capacity;
      if (this.timestamps[slot] !== ts || (last !== first && this.flags[slot] & FLAG_FRAME_START)) {
        // The next frame began before this one's marker: it lost its marker packet.
        this.giveUp();
        return false;
      }
      if (this.flags[slot] & FLAG_MARKER) break;
      last++;
      if (last - first >= this.capacity) return false;
    }
    // Each payload is copied once, natively: fill() copies packet[0, payloadEnd) so that the
    // payload lands where it belongs, and the bytes in front of it (headers) land in front of it.
    // Copied last packet first, those front bytes only touch room before the frame or the
    // payloads of earlier packets, written after; `front` is room enough for the first ones.
    let length = 0;
    let front = this.freshFrameHeadroom ?? 0;
    for (let s = first; s <= last; s++) {
      const slot = s % this.capacity;
      if (this.payloadStart[slot] - length > front) front = this.payloadStart[slot] - length;
      length += this.payloadLength[slot];
    }
    if (this.freshFrameHeadroom !== undefined) this.frame = new Uint8Array(front + length);
    else if (front + length > this.frame.length) this.frame = new Uint8Array(Math.max(front + length, this.frame.length * 2));
    this.frameOffset = front;
    this.frameIsKeyframe = (this.flags[firstSlot] & FLAG_KEYFRAME) !== 0;
    let pos = front + length;
    for (let s = last; s >= first; s--) {
      const slot = s % this.capacity;
      pos -= this.payloadLength[slot];
      // The one copy of a payload in the assembler: from the packet as received into the frame.
      nativeFill.call(this.frame, this.packetBytes[slot]!, pos - this.payloadStart[slot], pos + this.payloadLength[slot]);
      this.clearSlot(slot);
    }
    this.frameLength = length;
    this.frameTimestamp = ts;
    this.nextSeq = last + 1;
    this.headSinceMs = -1;
    this.counters.framesAssembled++;
    return true;
  }

  /**
   * Writes the sequence numbers to NACK now into `out` (sorted, 16-bit) and returns how many.
   * Each missing packet is asked for at most `maxNackRetries` times, one RTT apart.
   */
  collectNacks(nowMs: number, out: Uint16Array): number {
    if (!this.started || this.waitingForKeyframe) return 0;
    let n = 0;
    const spacing = Math.max(10, this.rttMs);
    for (let s = this.nextSeq; s < this.highestSeq && n < out.length; s++) {
      if (this.isPresent(s)) continue;
      const slot = s % this.capacity;
      if (this.slotSeq[slot] !== s) this.markMissing(s);
      if (this.nackCount[slot] >= this.maxNackRetries) continue;
      if (this.nackCount[slot] > 0 && nowMs - this.lastNackMs[slot] < spacing) continue;
      this.nackCount[slot]++;
      this.lastNackMs[slot] = nowMs;
      out[n++] = s & 0xffff;
    }
    this.counters.nacksSent += n;
    return n;
  }

  /**
   * Gives up on a head frame that waited too long, and says whether to send a keyframe request
   * (PLI) now: true while a keyframe is needed, at most once per `keyframeRequestIntervalMs`.
   */
  tick(nowMs: number): boolean {
    if (this.started && !this.waitingForKeyframe && this.nextSeq <= this.highestSeq) {
      if (this.headSinceMs < 0) this.headSinceMs = nowMs;
      else if (nowMs - this.headSinceMs > this.maxWaitMs) this.giveUp();
    }
    if (!this.started || !this.waitingForKeyframe) return false;
    return this.allowKeyframeRequest(nowMs);
  }

  /**
   * Whether a keyframe request may go out now, whoever asks (a lost frame here, or the decoder
   * after an error): at most one per `keyframeRequestIntervalMs`, so a burst of losses or decode
   * errors costs the sender one keyframe, not one each (RFC 4585 §6.3.1 leaves the rate to us).
   */
  allowKeyframeRequest(nowMs: number): boolean {
    if (nowMs - this.lastKeyframeRequestMs < this.keyframeRequestIntervalMs) return false;
    this.lastKeyframeRequestMs = nowMs;
    this.counters.keyframeRequests++;
    return true;
  }

  private isPresent(s: number): boolean {
    const slot = s % this.capacity;
    return this.slotSeq[slot] === s && (this.flags[slot] & FLAG_PRESENT) !== 0;
  }

  /** Gives every packet still kept back to its owner (the stream stops): nothing is released after. */
  releaseAll(): void {
    for (let slot = 0; slot < this.capacity; slot++) this.clearSlot(slot);
    this.started = false;
    this.waitingForKeyframe = true;
  }

  /** Empties a slot; a packet kept there goes back to its owner. */
  private clearSlot(slot: number): void {
    this.flags[slot] = 0;
    this.packetBytes[slot] = undefined;
    const owner = this.owners[slot];
    if (owner === undefined) return;
    this.owners[slot] = undefined;
    this.release?.(owner);
  }

  private markMissing(s: number): void {
    const slot = s % this.capacity;
    this.clearSlot(slot);
    this.slotSeq[slot] = s;
    this.nackCount[slot] = 0;
    this.lastNackMs[slot] = 0;
  }

  /** Drops the head frame and everything until a keyframe: later delta frames reference it. */
  private giveUp(): void {
    this.counters.framesDropped++;
    this.waitingForKeyframe = true;
    for (let s = this.nextSeq + 1; s <= this.highestSeq; s++) {
      const slot = s % this.capacity;
      if (this.isPresent(s) && this.flags[slot] & FLAG_KEYFRAME) {
        this.dropUntil(s, -1);
        this.waitingForKeyframe = false;
        return;
      }
    }
    this.dropUntil(this.highestSeq + 1, -1);
  }

  private dropUntil(seq: number, nowMs: number): void {
    for (let s = this.nextSeq; s < seq && s <= this.highestSeq; s++) this.clearSlot(s % this.capacity);
    if (seq > this.nextSeq) this.nextSeq = seq;
    if (this.nextSeq > this.highestSeq + 1) this.highestSeq = this.nextSeq - 1;
    this.headSinceMs = nowMs;
  }
}
