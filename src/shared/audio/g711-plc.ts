// A G.711 decoder that conceals lost frames as ITU-T G.711 Appendix I describes (pitch-period
// repetition, attenuation to silence, overlap-add into the first good frame; pitch-concealer.ts).
// Used where G.711 becomes 16-bit PCM: the worker's WAV sink and the renderer's G.711 receiver.

import { decodeG711, type G711Law } from '../g711';
import { PitchConcealer } from './pitch-concealer';

export const G711_SAMPLE_RATE = 8000;

export class G711ConcealingDecoder {
  readonly law: G711Law;
  private readonly concealer = new PitchConcealer(G711_SAMPLE_RATE);
  private pcm = new Int16Array(160);
  private work = new Float32Array(160);
  /** The next packet, decoded, for `concealBefore`. */
  private next = new Float32Array(160);

  constructor(law: G711Law) {
    this.law = law;
  }

  /** Samples concealed so far (8 kHz). */
  get concealedSamples(): number {
    return this.concealer.concealedSamples;
  }

  /** Decodes `g711[offset, offset + count)` into `out[outOffset, ...)`, blending in after a loss. */
  decode(g711: Uint8Array, out: Int16Array, count = g711.length, g711Offset = 0, outOffset = 0): void {
    this.reserve(count);
    decodeG711(this.law, g711, this.pcm, count, g711Offset, 0);
    const w = this.work;
    for (let i = 0; i < count; i++) w[i] = this.pcm[i];
    this.concealer.receive(w, 0, count);
    toInt16(w, out, count, outOffset);
  }

  /** A lost frame: `count` concealed samples into `out[outOffset, ...)`. */
  conceal(out: Int16Array, count: number, outOffset = 0): void {
    this.reserve(count);
    this.concealer.conceal(this.work, 0, count);
    toInt16(this.work, out, count, outOffset);
  }

  /**
   * A lost frame whose next packet `g711[g711Offset, g711Offset + g711Count)` is already here:
   * `count` samples interpolated towards it (PitchConcealer.concealBefore). The next packet is
   * decoded again by `decode` as usual.
   */
  concealBefore(out: Int16Array, count: number, outOffset: number, g711: Uint8Array, g711Offset: number, g711Count: number): void {
    this.reserve(Math.max(count, g711Count));
    decodeG711(this.law, g711, this.pcm, g711Count, g711Offset, 0);
    const next = this.next;
    for (let i = 0; i < g711Count; i++) next[i] = this.pcm[i];
    this.concealer.concealBefore(this.work, 0, count, next, 0, g711Count);
    toInt16(this.work, out, count, outOffset);
  }

  private reserve(count: number): void {
    if (count <= this.work.length) return;
    this.pcm = new Int16Array(count);
    this.work = new Float32Array(count);
    this.next = new Float32Array(count);
  }
}

function toInt16(from: Float32Array, to: Int16Array, count: number, offset: number): void {
  for (let i = 0; i < count; i++) {
    const v = Math.round(from[i]);
    to[offset + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}
