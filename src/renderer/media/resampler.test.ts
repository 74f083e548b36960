import { describe, it, expect } from 'vitest';
import { createResampler } from './resampler';

function sine(freq: number, rate: number, n: number, start = 0): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * freq * (i + start)) / rate));
}

/** Zero crossings per second: twice the frequency of a clean sine. */
function crossingsPerSecond(x: Float32Array, rate: number): number {
  let c = 0;
  for (let i = 1; i < x.length; i++) if (x[i - 1] < 0 !== x[i] < 0) c++;
  return c / (x.length / rate);
}

describe('resampler', () => {
  it('48 kHz to 44.1 kHz yields 441 samples per 480 over a run of blocks', () => {
    const r = createResampler(48000, 44100);
    let total = 0;
    for (let b = 0; b < 100; b++) total += r.process(new Float32Array(480)).length;
    expect(Math.abs(total - 44100)).toBeLessThanOrEqual(1);
  });

  it('keeps a 1 kHz tone at 1 kHz when up- and downsampling', () => {
    for (const [from, to] of [
      [48000, 44100],
      [8000, 48000],
      [48000, 8000],
    ]) {
      const r = createResampler(from, to);
      const out = r.process(sine(1000, from, from));
      expect(crossingsPerSecond(out, to)).toBeGreaterThan(1990);
      expect(crossingsPerSecond(out, to)).toBeLessThan(2010);
    }
  });

  it('is continuous across block boundaries: blocks give the same output as one run', () => {
    const input = sine(440, 48000, 4800);
    const whole = createResampler(48000, 44100).process(input);
    const r = createResampler(48000, 44100);
    const parts: number[] = [];
    for (let i = 0; i < input.length; i += 137) parts.push(...r.process(input.subarray(i, i + 137)));
    expect(parts.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(parts[i]).toBeCloseTo(whole[i], 5);
  });

  it('passes DC through unchanged after the first sample', () => {
    const out = createResampler(44100, 48000).process(new Float32Array(441).fill(0.5));
    expect(Math.abs(out.length - 480)).toBeLessThanOrEqual(1);
    for (let i = 1; i < out.length; i++) expect(out[i]).toBeCloseTo(0.5, 6);
  });

  it('equal rates copy; empty blocks give nothing; bad rates are refused', () => {
    const same = createResampler(48000, 48000);
    const x = Float32Array.of(1, 2, 3);
    expect([...same.process(x)]).toEqual([1, 2, 3]);
    expect(createResampler(48000, 8000).process(new Float32Array(0)).length).toBe(0);
    expect(() => createResampler(0, 8000)).toThrow(RangeError);
  });
});
