// A source fed from outside: the renderer's WebCodecs frames (relayed by main) are pushed in as
// they come and read out at the worker's pace. Frames are copied into a fixed ring; when it is
// full the oldest frame is dropped (a live source must not build up delay). Keyframe requests go
// back to the producer through `onKeyframeRequest`.

import type { EncodedFrame, MediaCodec, MediaKind, MediaSource } from './media-source';

export interface FrameQueueSourceOptions {
  kind: MediaKind;
  codec: MediaCodec;
  clockRate: number;
  frameDuration: number;
  /** Frames held at most. */
  capacity?: number;
  /** Largest frame accepted; bigger ones are dropped and counted. */
  maxFrameSize?: number;
  onKeyframeRequest?: () => void;
}

export class FrameQueueSource implements MediaSource {
  readonly kind: MediaKind;
  readonly codec: MediaCodec;
  readonly clockRate: number;
  readonly frameDuration: number;
  readonly capacity: number;
  readonly maxFrameSize: number;
  /** Frames dropped because the queue was full or the frame too large. */
  dropped = 0;
  private readonly slab: Uint8Array;
  private readonly lengths: Int32Array;
  private readonly timestamps: Float64Array;
  private readonly keyframes: Uint8Array;
  private readonly onKeyframeRequest: (() => void) | undefined;
  private head = 0;
  private count = 0;
  private closed = false;

  constructor(opts: FrameQueueSourceOptions) {
    this.kind = opts.kind;
    this.codec = opts.codec;
    this.clockRate = opts.clockRate;
    this.frameDuration = opts.frameDuration;
    this.capacity = opts.capacity ?? 8;
    this.maxFrameSize = opts.maxFrameSize ?? 256 * 1024;
    this.slab = new Uint8Array(this.capacity * this.maxFrameSize);
    this.lengths = new Int32Array(this.capacity);
    this.timestamps = new Float64Array(this.capacity);
    this.keyframes = new Uint8Array(this.capacity);
    this.onKeyframeRequest = opts.onKeyframeRequest;
  }

  get queued(): number {
    return this.count;
  }

  /** Copies a frame `data[offset, offset + length)` in. Returns false if it was dropped. */
  push(data: Uint8Array, offset: number, length: number, timestamp: number, keyframe: boolean): boolean {
    if (this.closed || length > this.maxFrameSize || offset < 0 || offset + length > data.length) {
      this.dropped++;
      return false;
    }
    if (this.count === this.capacity) {
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      this.dropped++;
    }
    const slot = (this.head + this.count) % this.capacity;
    const at = slot * this.maxFrameSize;
    for (let i = 0; i < length; i++) this.slab[at + i] = data[offset + i];
    this.lengths[slot] = length;
    this.timestamps[slot] = timestamp;
    this.keyframes[slot] = keyframe ? 1 : 0;
    this.count++;
    return true;
  }

  readFrame(out: EncodedFrame): boolean {
    if (this.count === 0) return false;
    const slot = this.head;
    out.data = this.slab;
    out.offset = slot * this.maxFrameSize;
    out.length = this.lengths[slot];
    out.timestamp = this.timestamps[slot];
    out.keyframe = this.keyframes[slot] === 1;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return true;
  }

  requestKeyframe(): void {
    this.onKeyframeRequest?.();
  }

  close(): void {
    this.closed = true;
    this.count = 0;
  }
}
