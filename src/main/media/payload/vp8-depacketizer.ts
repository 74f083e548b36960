// Reassembles VP8 frames from RTP packets delivered in sequence order (RFC 7741 §4.5): a frame is
// the packets of one timestamp from S=1/PID=0 to the marker; a sequence gap or a frame without its
// start is dropped and counted, and the caller asks for a keyframe.

import { copyBytes } from '../rtp/bytes';
import type { RtpHeader } from '../rtp/header';
import { createVp8Descriptor, isVp8KeyframeStart, parseVp8Descriptor } from './vp8-descriptor';

export type Vp8DepacketizeResult = 'frame' | 'partial' | 'dropped';

export class Vp8Depacketizer {
  /** The last completed frame is `frame[0, frameLength)`; the buffer grows, never shrinks. */
  frame: Uint8Array;
  frameLength = 0;
  frameTimestamp = 0;
  frameIsKeyframe = false;
  framePictureId = -1;
  /** Frames dropped for a gap, a missing start or a bad descriptor. */
  droppedFrames = 0;
  malformedPackets = 0;
  private readonly descriptor = createVp8Descriptor();
  private assembling = false;
  private length = 0;
  private timestamp = 0;
  private expectedSeq = 0;
  private keyframe = false;
  private pictureId = -1;

  constructor(initialCapacity = 64 * 1024) {
    this.frame = new Uint8Array(initialCapacity);
  }

  /** Feeds one packet's payload `bytes[h.payloadStart, h.payloadEnd)`. */
  push(bytes: Uint8Array, h: RtpHeader): Vp8DepacketizeResult {
    const d = this.descriptor;
    if (parseVp8Descriptor(bytes, h.payloadStart, h.payloadEnd, d)) {
      this.malformedPackets++;
      return this.drop();
    }
    const startsFrame = d.startOfPartition && d.partitionIndex === 0;
    if (startsFrame) {
      if (this.assembling) this.droppedFrames++;
      this.assembling = true;
      this.length = 0;
      this.timestamp = h.timestamp;
      this.keyframe = isVp8KeyframeStart(bytes, d);
      this.pictureId = d.pictureId;
    } else if (!this.assembling) {
      // The middle of a frame whose start we missed: nothing to do until the next start.
      return 'dropped';
    } else if (h.sequenceNumber !== this.expectedSeq || h.timestamp !== this.timestamp) {
      return this.drop();
    }
    this.expectedSeq = (h.sequenceNumber + 1) & 0xffff;
    const n = h.payloadEnd - d.payloadStart;
    this.reserve(this.length + n);
    copyBytes(bytes, d.payloadStart, h.payloadEnd, this.frame, this.length);
    this.length += n;
    if (!h.marker) return 'partial';
    this.assembling = false;
    this.frameLength = this.length;
    this.frameTimestamp = this.timestamp;
    this.frameIsKeyframe = this.keyframe;
    this.framePictureId = this.pictureId;
    return 'frame';
  }

  /** Forgets a frame in progress (e.g. after the jitter buffer gave up on it). */
  reset(): void {
    this.assembling = false;
    this.length = 0;
  }

  private drop(): Vp8DepacketizeResult {
    if (this.assembling) this.droppedFrames++;
    this.assembling = false;
    return 'dropped';
  }

  private reserve(n: number): void {
    if (n <= this.frame.length) return;
    const bigger = new Uint8Array(Math.max(n, this.frame.length * 2));
    bigger.set(this.frame.subarray(0, this.length));
    this.frame = bigger;
  }
}
