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

  it('follows a delay that grows by a concealed frame at a time: only the inserted frames count', () => {
    // Five times, 20 ms of silence is inserted mid-speech (a buffer stretching at a hole): 100 ms
    // more delay by the end, the speech itself intact.
    const inserts = [1.2, 2.0, 2.9, 3.7, 4.6].map((t) => Math.round(t * RATE));
    const rec = new Int16Array(ref.length + 800 + 5 * FRAME);
    let from = 0;
    let to = 400;
    for (const at of inserts) {
      rec.set(ref.subarray(from, at), to);
      to += at - from + FRAME;
      from = at;
    }
    rec.set(ref.subarray(from), to);
    const q = speechQuality(ref, rec);
    // Each insertion costs the inserted frame only: the next one confirms the new offset.
    expect(q.badFrames).toBeLessThanOrEqual(5);
    // Most of the speech comes after two or more insertions: the median delay shows it.
    expect(q.mouthToEarMs).toBeGreaterThanOrEqual(50 + 40);
    expect(q.mouthToEarMs).toBeLessThanOrEqual(50 + 80);
  });

  it('a concealed frame that matches the reference off by a pitch period costs one bad frame, not two', () => {
    // Pitch repetition continues what was just played, so in voiced speech a concealed frame
    // matches the reference a pitch period (here 5 ms) away. Such frames go in the middle of
    // loud stretches, at least 15 frames apart.
    const rec = delayed(ref, 800);
    const rmsAt = (f: number): number => Math.sqrt(ref.subarray(f * FRAME, (f + 1) * FRAME).reduce((e, x) => e + x * x, 0) / FRAME);
    let replaced = 0;
    let last = -100;
    for (let f = 1; f < ref.length / FRAME - 2; f++) {
      if (f - last < 15 || rmsAt(f - 1) < 2500 || rmsAt(f) < 2500 || rmsAt(f + 1) < 2500) continue;
      rec.set(ref.subarray(f * FRAME + 40, f * FRAME + 40 + FRAME), 800 + f * FRAME);
      replaced++;
      last = f;
    }
    const q = speechQuality(ref, rec);
    expect(replaced).toBeGreaterThan(5);
    // Following each such frame's offset would also cost the next frame (16 of 11 here).
    expect(q.badFrames).toBe(replaced);
    expect(q.mouthToEarMs).toBe(100);
  });

  it('re-locks after a 150 ms jump of the playout delay (a buffer resync)', () => {
    const jump = 3 * RATE;
    const rec = new Int16Array(ref.length + 2400);
    rec.set(ref.subarray(0, jump), 0);
    rec.set(ref.subarray(jump), jump + 1200);
    const q = speechQuality(ref, rec);
    expect(q.badFramesPct).toBeLessThan(2);
  });

  it('property: any delay up to 1 s is found to the sample', () => {
    const short = speechLike(3, 5);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: RATE }), (lag) => alignmentLag(short, delayed(short, lag), 1.5 * RATE) === lag),
      { numRuns: 15 },
    );
  });
});
