// A sine tone as G.711 frames (20 ms, 8 kHz): the headless CLI's default audio, and what the call
// tests look for at the far end (its frequency is measured with test-support.ts).

import { encodeG711 } from '../../../shared/g711';
import type { G711Law } from '../../../shared/g711';
import type { EncodedFrame, MediaSource } from './media-source';

export interface ToneSourceOptions {
  law: G711Law;
  frequencyHz?: number;
  /** Peak amplitude, 16-bit scale. */
  amplitude?: number;
  /** Ends after this long; unbounded when absent. */
  durationMs?: number;
}

const SAMPLE_RATE = 8000;
const FRAME_SAMPLES = 160;

export class ToneSource implements MediaSource {
  readonly kind = 'audio';
  readonly codec: G711Law;
  readonly clockRate = SAMPLE_RATE;
  readonly frameDuration = FRAME_SAMPLES;
  private readonly phaseStep: number;
  private readonly amplitude: number;
  private readonly totalSamples: number;
  private readonly pcm = new Int16Array(FRAME_SAMPLES);
  private readonly encoded = new Uint8Array(FRAME_SAMPLES);
  private sample = 0;

  constructor(opts: ToneSourceOptions) {
    this.codec = opts.law;
    this.phaseStep = (2 * Math.PI * (opts.frequencyHz ?? 1000)) / SAMPLE_RATE;
    this.amplitude = opts.amplitude ?? 8000;
    this.totalSamples = opts.durationMs === undefined ? Infinity : Math.floor((opts.durationMs * SAMPLE_RATE) / 1000);
  }

  readFrame(out: EncodedFrame): boolean {
    if (this.sample + FRAME_SAMPLES > this.totalSamples) return false;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      this.pcm[i] = Math.round(this.amplitude * Math.sin(this.phaseStep * (this.sample + i)));
    }
    encodeG711(this.codec, this.pcm, this.encoded);
    out.data = this.encoded;
    out.offset = 0;
    out.length = FRAME_SAMPLES;
    out.timestamp = this.sample;
    out.keyframe = true;
    this.sample += FRAME_SAMPLES;
    return true;
  }

  requestKeyframe(): void {
    // Every audio frame stands alone.
  }

  close(): void {
    this.sample = this.totalSamples;
  }
}
