import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PitchConcealer } from './pitch-concealer';

/** A voiced-like signal: fundamental plus two harmonics, `period` samples long. */
function voiced(n: number, period: number, amplitude = 8000): number {
  const p = (2 * Math.PI * n) / period;
  return amplitude * (0.6 * Math.sin(p) + 0.3 * Math.sin(2 * p + 1) + 0.1 * Math.sin(3 * p + 2));
}

function signal(from: number, count: number, period: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = voiced(from + i, period);
  return out;
}

function peak(x: Float32Array, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

/** Feeds `frames` good frames of `frame` samples; returns the sample index after them. */
function feed(c: PitchConcealer, frames: number, frame: number, period: number): number {
  for (let f = 0; f < frames; f++) c.receive(signal(f * frame, frame, period));
  return frames * frame;
}

describe('PitchConcealer (ITU-T G.711 Appendix I)', () => {
  it('fills exactly the samples asked for and counts them', () => {
    const c = new PitchConcealer(8000);
    feed(c, 10, 160, 57);
    const out = new Float32Array(200).fill(12345);
    c.conceal(out, 20, 160);
    expect(out[19]).toBe(12345);
    expect(out[180]).toBe(12345);
    expect(peak(out, 20, 180)).toBeGreaterThan(1000);
    expect(c.concealedSamples).toBe(160);
    expect(c.concealing).toBe(true);
  });

  it('finds the pitch by normalized correlation and continues a voiced signal with that period (§I.2.2, §I.2.3)', () => {
    for (const period of [41, 57, 77, 119]) {
      const c = new PitchConcealer(8000);
      const at = feed(c, 10, 160, period);
      const out = new Float32Array(80);
      c.conceal(out);
      expect(c.pitch).toBe(period);
      // The first 10 ms are the waveform itself, in phase: no attenuation yet.
      for (let i = 0; i < 80; i++) expect(Math.abs(out[i] - voiced(at + i, period))).toBeLessThan(1);
    }
  });

  it('works the same at 48 kHz (decoded Opus): pitch 5..15 ms is 240..720 samples', () => {
    const c = new PitchConcealer(48_000);
    const at = feed(c, 10, 960, 342);
    const out = new Float32Array(480);
    c.conceal(out);
    expect(c.pitch).toBe(342);
    for (let i = 0; i < 480; i++) expect(Math.abs(out[i] - voiced(at + i, 342))).toBeLessThan(1);
  });

  it('fades 20 % per 10 ms after the first 10 ms and is silent from 60 ms on (§I.2.4)', () => {
    const c = new PitchConcealer(8000);
    const at = feed(c, 10, 160, 57);
    const out = new Float32Array(800);
    for (let f = 0; f < 5; f++) c.conceal(out, f * 160, 160);
    const amplitude = peak(signal(0, 800, 57), 0, 800);
    expect(peak(out, 0, 80)).toBeGreaterThan(0.95 * amplitude);
    for (let block = 1; block < 6; block++) {
      const gainAtStart = 1 - 0.2 * (block - 1);
      const gainAtEnd = 1 - 0.2 * block;
      const p = peak(out, block * 80, (block + 1) * 80);
      expect(p).toBeLessThanOrEqual(gainAtStart * amplitude + 1);
      expect(p).toBeGreaterThan(gainAtEnd * amplitude * 0.9);
    }
    expect(peak(out, 480, 800)).toBe(0);
    // Two periods from 10 ms and three from 20 ms: still the same periodic waveform, attenuated.
    for (let i = 80; i < 480; i++) {
      const gain = 1 - (i - 80) * (0.2 / 80);
      expect(Math.abs(out[i] - gain * voiced(at + i, 57))).toBeLessThan(1);
    }
  });

  it('overlap-adds the first good frame after a loss: no step larger than the signal has (§I.2.5)', () => {
    for (const lostFrames of [1, 2, 3, 4]) {
      const c = new PitchConcealer(8000);
      const period = 57;
      feed(c, 10, 160, period);
      const out = new Float32Array(160 * lostFrames);
      for (let f = 0; f < lostFrames; f++) c.conceal(out, f * 160, 160);
      // The talker moved on: the good frame is out of phase with the repetition.
      const good = signal(5000, 160, 63);
      const raw = good[0];
      c.receive(good);
      expect(c.concealing).toBe(false);
      const joined = new Float32Array([out[out.length - 1], ...good]);
      let largestStep = 0;
      for (let i = 1; i < joined.length; i++) largestStep = Math.max(largestStep, Math.abs(joined[i] - joined[i - 1]));
      let signalStep = 0;
      for (let n = 1; n < 2000; n++) signalStep = Math.max(signalStep, Math.abs(voiced(n, 57) - voiced(n - 1, 57)));
      expect(largestStep).toBeLessThanOrEqual(1.1 * signalStep);
      expect(good[0]).not.toBe(raw);
      // After the overlap the frame is the good audio itself.
      const tail = signal(5000, 160, 63);
      for (let i = 80; i < 160; i++) expect(good[i]).toBe(tail[i]);
    }
  });

  it('starts again from the audio after a loss: a second loss repeats the new pitch', () => {
    const c = new PitchConcealer(8000);
    feed(c, 10, 160, 57);
    c.conceal(new Float32Array(160));
    for (let f = 0; f < 5; f++) c.receive(signal(f * 160, 160, 90));
    c.conceal(new Float32Array(160));
    expect(c.pitch).toBe(90);
  });

  it('conceals silence with silence, and before any audio with silence', () => {
    const c = new PitchConcealer(8000);
    const out = new Float32Array(160).fill(1);
    c.conceal(out);
    expect(peak(out, 0, 160)).toBe(0);
  });

  it('never outputs more than the loudest sample it was given, whatever the input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 400, maxLength: 1200 }), fc.integer({ min: 1, max: 8 }), (samples, losses) => {
        const c = new PitchConcealer(8000);
        const input = Float32Array.from(samples);
        c.receive(input);
        const bound = peak(input, 0, input.length);
        const out = new Float32Array(80);
        for (let i = 0; i < losses; i++) {
          c.conceal(out);
          expect(peak(out, 0, 80)).toBeLessThanOrEqual(bound);
        }
        const after = Float32Array.from(samples.slice(0, 80));
        c.receive(after);
        return peak(after, 0, 80) <= bound;
      }),
      { numRuns: 100 },
    );
  });

  it('interpolates into the next audio when it is at hand: across a pitch change the stretch ends in the next waveform', () => {
    const c = new PitchConcealer(8000);
    const at = feed(c, 10, 160, 57);
    // The talker's pitch moved from 57 to 77 samples during the lost frame.
    const next = signal(at + 160, 160, 77);
    const forward = new PitchConcealer(8000);
    feed(forward, 10, 160, 57);
    const extrapolated = new Float32Array(160);
    forward.conceal(extrapolated);
    const out = new Float32Array(160);
    c.concealBefore(out, 0, 160, next, 0, 160);
    const error = (x: Float32Array, from: number, to: number): number => {
      let e = 0;
      for (let i = from; i < to; i++) e += (x[i] - voiced(at + i, 77)) ** 2;
      return e;
    };
    // Towards its end it is the next audio's waveform repeated backwards: far closer than repetition.
    expect(error(out, 80, 160)).toBeLessThan(0.25 * error(extrapolated, 80, 160));
    expect(error(out, 120, 160)).toBeLessThan(0.05 * error(extrapolated, 120, 160));
    for (let i = 150; i < 160; i++) expect(Math.abs(out[i] - voiced(at + i, 77))).toBeLessThan(0.05 * 8000);
    // It starts as the repetition of the past (in phase with it).
    for (let i = 0; i < 5; i++) expect(Math.abs(out[i] - voiced(at + i, 57))).toBeLessThan(0.05 * 8000);
    expect(c.concealedSamples).toBe(160);
    // The next audio joins as it is: nothing is overlap-added into it.
    const received = next.slice();
    c.receive(received);
    expect(received).toEqual(next);
  });

  it('conceals a lost word onset from the audio after it, where repetition of the silence before has nothing', () => {
    const c = new PitchConcealer(8000);
    c.receive(new Float32Array(400));
    const out = new Float32Array(160);
    c.concealBefore(out, 0, 160, signal(160, 160, 64), 0, 160);
    expect(peak(out, 0, 20)).toBeLessThan(0.1 * 8000);
    // Towards its end it is the next audio's waveform (period 64, continued backwards in phase).
    let error = 0;
    let energy = 0;
    for (let i = 120; i < 160; i++) {
      error += (out[i] - voiced(i, 64)) ** 2;
      energy += voiced(i, 64) ** 2;
    }
    expect(error / energy).toBeLessThan(0.05);
  });

  it('interpolated concealment never outputs more than the loudest sample it was given', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 400, maxLength: 800 }),
        fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 480 }),
        (past, following, count) => {
          const c = new PitchConcealer(8000);
          const input = Float32Array.from(past);
          const next = Float32Array.from(following);
          c.receive(input);
          const out = new Float32Array(count);
          c.concealBefore(out, 0, count, next, 0, next.length);
          return out.every(Number.isFinite) && peak(out, 0, count) <= Math.max(peak(input, 0, input.length), peak(next, 0, next.length)) + 1e-3;
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a sample rate that is not a multiple of 8 kHz', () => {
    expect(() => new PitchConcealer(44_100)).toThrow(RangeError);
  });
});
