import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FRAME, RATE, alignmentLag, speechQuality } from './speech-quality';
import { seededRandom } from '../udp-relay';

/** Speech-like: noise in 200–400 ms bursts ("syllables") with 100–300 ms pauses, seeded. */
function speechLike(seconds: number, seed = 1): Int16Array {
  const random = seededRandom(seed);
  const out = new Int16Array(seconds * RATE);
  let i = 0;
  while (i < out.length) {
    const burst = Math.round((0.2 + 0.2 * random()) * RATE);
    for (let j = 0; j < burst && i < out.length; j++, i++) {
      const envelope = Math.sin((Math.PI * j) / burst);
      out[i] = Math.round((random() * 2 - 1) * 8000 * envelope);
    }
    i += Math.round((0.1 + 0.2 * random()) * RATE);
  }
  return out;
}

/** `ref` delayed by `lag` samples, with `tail` seconds of silence after it. */
function delayed(ref: Int16Array, lag: number, tail = 0.5): Int16Array {
  const out = new Int16Array(lag + ref.length + tail * RATE);
  out.set(ref, lag);
  return out;
}

describe('speech quality: alignment and bad frames (issue 24 measure)', () => {
  const ref = speechLike(6);

  it('finds the delay exactly and calls a clean copy perfect', () => {
    const q = speechQuality(ref, delayed(ref, 1234));
    expect(q.mouthToEarMs).toBeCloseTo((1234 * 1000) / RATE, 6);
    expect(q.speechFrames).toBeGreaterThan(100);
    expect(q.badFrames).toBe(0);
  });

  it('counts silenced speech frames as bad, about as many as were lost', () => {
    const rec = delayed(ref, 800);
    const random = seededRandom(7);
    let silenced = 0;
    for (let f = 0; f < ref.length / FRAME; f++) {
      const start = 800 + f * FRAME;
      let e = 0;
      for (let i = 0; i < FRAME; i++) e += ref[f * FRAME + i] ** 2;
      if (e > 0 && random() < 0.05) {
        rec.fill(0, start, start + FRAME);
        silenced++;
      }
    }
    const q = speechQuality(ref, rec);
    expect(silenced).toBeGreaterThan(5);
    // Frames at the edge of a pause are not "speech" by the energy rule, so allow a small margin.
    expect(q.badFrames).toBeGreaterThanOrEqual(silenced - 3);
    expect(q.badFrames).toBeLessThanOrEqual(silenced);
  });

  it('counts frames replaced by unrelated noise as bad', () => {
    const rec = delayed(ref, 400);
    const noise = speechLike(6, 99);
    // The second second of the recording is something else entirely.
    rec.set(noise.subarray(RATE, 2 * RATE), 400 + RATE);
    const q = speechQuality(ref, rec);
    expect(q.badFramesPct).toBeGreaterThan(10);
  });

  it('does not count a playout delay change between talk spurts as damage', () => {
    // +10 ms of extra delay from the third second on (a jitter buffer growing in a pause).
    const step = 2 * RATE;
    const rec = new Int16Array(ref.length + 2000);
    rec.set(ref.subarray(0, step), 300);
    rec.set(ref.subarray(step), 300 + step + 80);
    expect(speechQuality(ref, rec).badFramesPct).toBeLessThan(1);
  });

  it('property: any delay up to 1 s is found to the sample', () => {
    const short = speechLike(3, 5);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: RATE }), (lag) => alignmentLag(short, delayed(short, lag), 1.5 * RATE) === lag),
      { numRuns: 15 },
    );
  });
});
