// VP8 frames from an IVF file, looped, timestamped on a 90 kHz clock (RFC 7741 §4.1) at the
// file's frame rate. A keyframe request moves playback to the next keyframe of the file (or back
// to the first frame) so the far end gets one within a frame.

import { readFileSync } from 'node:fs';
import { parseIvf } from './ivf';
import type { IvfError, IvfInfo } from './ivf';
import type { EncodedFrame, MediaSource } from './media-source';

export const VIDEO_CLOCK_RATE = 90000;

export interface IvfSourceOptions {
  loop?: boolean;
  /** Frame rate used when the file's timebase is unusable. */
  fallbackFps?: number;
}

export class IvfSource implements MediaSource {
  readonly kind = 'video';
  readonly codec = 'VP8';
  readonly clockRate = VIDEO_CLOCK_RATE;
  readonly frameDuration: number;
  readonly info: IvfInfo;
  private readonly bytes: Uint8Array;
  private readonly loop: boolean;
  private readonly keyframes: boolean[];
  private index = 0;
  private timestamp = 0;
  private keyframeRequested = false;
  private closed = false;

  private constructor(bytes: Uint8Array, info: IvfInfo, opts: IvfSourceOptions) {
    this.bytes = bytes;
    this.info = info;
    this.loop = opts.loop ?? true;
    // IVF timebase is rate/scale frames per second for libvpx and ffmpeg writers with pts 0,1,2...
    const fps = info.timebaseDenominator > 0 && info.timebaseNumerator > 0
      ? info.timebaseDenominator / info.timebaseNumerator
      : (opts.fallbackFps ?? 15);
    const sane = fps >= 1 && fps <= 120 ? fps : (opts.fallbackFps ?? 15);
    this.frameDuration = Math.round(VIDEO_CLOCK_RATE / sane);
    this.keyframes = Array.from(info.frameStarts, (s) => (bytes[s] & 0x01) === 0);
  }

  static fromBytes(bytes: Uint8Array, opts: IvfSourceOptions = {}): IvfSource | IvfError {
    const info = parseIvf(bytes);
    return typeof info === 'string' ? info : new IvfSource(bytes, info, opts);
  }

  static open(path: string, opts: IvfSourceOptions = {}): IvfSource | IvfError {
    return IvfSource.fromBytes(readFileSync(path), opts);
  }

  get frameCount(): number {
    return this.info.frameStarts.length;
  }

  readFrame(out: EncodedFrame): boolean {
    if (this.closed) return false;
    if (this.keyframeRequested) {
      this.keyframeRequested = false;
      this.index = this.nextKeyframeIndex();
    }
    if (this.index >= this.frameCount) {
      if (!this.loop) return false;
      this.index = 0;
    }
    out.data = this.bytes;
    out.offset = this.info.frameStarts[this.index];
    out.length = this.info.frameLengths[this.index];
    out.keyframe = this.keyframes[this.index];
    out.timestamp = this.timestamp;
    this.timestamp += this.frameDuration;
    this.index++;
    return true;
  }

  requestKeyframe(): void {
    this.keyframeRequested = true;
  }

  close(): void {
    this.closed = true;
  }

  private nextKeyframeIndex(): number {
    for (let i = this.index; i < this.frameCount; i++) if (this.keyframes[i]) return i;
    return 0;
  }
}
