// A streaming linear-interpolation resampler: 48 kHz decoded Opus to the output device's rate
// (44.1 kHz headless), capture rate to 48 kHz for Opus or 8 kHz for G.711. It keeps its phase and
// the previous block's last sample, so block boundaries add no clicks. Downsampling first runs a
// moving average over one output period (a box filter) to keep aliasing down for speech.
export interface Resampler {
  readonly inRate: number;
  readonly outRate: number;
  /** Resamples one block; output length follows the running phase, not just this block. */
  process(input: Float32Array): Float32Array<ArrayBuffer>;
}

export function createResampler(inRate: number, outRate: number): Resampler {
  if (!(inRate > 0 && outRate > 0)) throw new RangeError('sample rates must be positive');
  const step = inRate / outRate;
  const box = step > 1 ? Math.floor(step) : 1;
  const boxHistory = new Float32Array(Math.max(0, box - 1));
  /** Position of the next output sample in input samples from this block's start (may be in [-1, 0)). */
  let position = 0;
  /** The previous block's last (filtered) sample: index -1 of this block. */
  let last = 0;

  function boxFilter(input: Float32Array): Float32Array {
    if (box === 1) return input;
    const out = new Float32Array(input.length);
    const h = boxHistory.length;
    const at = (i: number) => (i < 0 ? boxHistory[h + i] : input[i]);
    let sum = 0;
    for (let k = 0; k < box; k++) sum += at(-k);
    out[0] = sum / box;
    for (let i = 1; i < input.length; i++) {
      sum += input[i] - at(i - box);
      out[i] = sum / box;
    }
    const joined = new Float32Array(h + input.length);
    joined.set(boxHistory);
    joined.set(input, h);
    boxHistory.set(joined.subarray(joined.length - h));
    return out;
  }

  return {
    inRate,
    outRate,
    process(input) {
      if (inRate === outRate) return input.slice();
      if (input.length === 0) return new Float32Array(0);
      const s = boxFilter(input);
      const at = (i: number) => (i < 0 ? last : s[i]);
      const end = s.length - 1;
      const count = position > end ? 0 : Math.floor((end - position) / step) + 1;
      const out = new Float32Array(count);
      for (let n = 0; n < count; n++) {
        const x = position + n * step;
        const i = Math.floor(x);
        const frac = x - i;
        const a = at(i);
        out[n] = frac === 0 ? a : a + (at(i + 1) - a) * frac;
      }
      position += count * step - s.length;
      last = s[end];
      return out;
    },
  };
}
