// A WAV file as G.711 frames (20 ms at 8 kHz): 16-bit PCM, A-law or mu-law, mono or the first
// channel of several. No resampling: the file must be 8 kHz. Loops by default, so a short file
// lasts the whole call.

import { readFileSync } from 'node:fs';
import { aLawToLinear, encodeG711, muLawToLinear } from '../../../shared/g711';
import type { G711Law } from '../../../shared/g711';
import type { EncodedFrame, MediaSource } from './media-source';
import { parseWav } from './wav';
import type { WavError, WavInfo } from './wav';

const FRAME_SAMPLES = 160;

export interface WavSourceOptions {
  law: G711Law;
  loop?: boolean;
}

export type WavSourceError = WavError | 'not-8khz' | 'empty';

export class WavSource implements MediaSource {
  readonly kind = 'audio';
  readonly codec: G711Law;
  readonly clockRate = 8000;
  readonly frameDuration = FRAME_SAMPLES;
  private readonly bytes: Uint8Array;
  private readonly info: WavInfo;
  private readonly loop: boolean;
  private readonly frames: number;
  private readonly pcm = new Int16Array(FRAME_SAMPLES);
  private readonly encoded = new Uint8Array(FRAME_SAMPLES);
  private position = 0;
  private timestamp = 0;
  private closed = false;

  private constructor(bytes: Uint8Array, info: WavInfo, opts: WavSourceOptions) {
    this.bytes = bytes;
    this.info = info;
    this.codec = opts.law;
    this.loop = opts.loop ?? true;
    this.frames = (info.dataEnd - info.dataStart) / info.blockAlign;
  }

  /** A source over the WAV bytes, or why they can't be used. */
  static fromBytes(bytes: Uint8Array, opts: WavSourceOptions): WavSource | WavSourceError {
    const info = parseWav(bytes);
    if (typeof info === 'string') return info;
    if (info.sampleRate !== 8000) return 'not-8khz';
    if (info.dataEnd === info.dataStart) return 'empty';
    return new WavSource(bytes, info, opts);
  }

  /** Reads the whole file (test media is small); I/O errors throw as node:fs does. */
  static open(path: string, opts: WavSourceOptions): WavSource | WavSourceError {
    return WavSource.fromBytes(readFileSync(path), opts);
  }

  readFrame(out: EncodedFrame): boolean {
    if (this.closed) return false;
    if (this.position >= this.frames) {
      if (!this.loop) return false;
      this.position = 0;
    }
    const n = Math.min(FRAME_SAMPLES, this.frames - this.position);
    for (let i = 0; i < n; i++) this.pcm[i] = this.sampleAt(this.position + i);
    // A short last frame is padded with silence: packets stay 20 ms.
    this.pcm.fill(0, n);
    encodeG711(this.codec, this.pcm, this.encoded);
    this.position += n;
    out.data = this.encoded;
    out.offset = 0;
    out.length = FRAME_SAMPLES;
    out.timestamp = this.timestamp;
    out.keyframe = true;
    this.timestamp += FRAME_SAMPLES;
    return true;
  }

  requestKeyframe(): void {
    // Every audio frame stands alone.
  }

  close(): void {
    this.closed = true;
  }

  private sampleAt(frame: number): number {
    const b = this.bytes;
    const at = this.info.dataStart + frame * this.info.blockAlign;
    switch (this.info.audioFormat) {
      case 6:
        return aLawToLinear(b[at]);
      case 7:
        return muLawToLinear(b[at]);
      default:
        return ((b[at] | (b[at + 1] << 8)) << 16) >> 16;
    }
  }
}
