import { describe, expect, it } from 'vitest';
import { OpusLossConcealment } from './opus-concealment';

/** 20 ms of a voiced 48 kHz signal (period 300 samples = 160 Hz) starting at sample `from`. */
function frame(from: number): Float32Array {
  const out = new Float32Array(960);
  for (let i = 0; i < 960; i++) out[i] = 0.3 * Math.sin((2 * Math.PI * (from + i)) / 300);
  return out;
}

function collect() {
  const played: { samples: Float32Array; rate: number }[] = [];
  const c = new OpusLossConcealment((samples, rate) => played.push({ samples, rate }));
  return { c, played };
}

describe('OpusLossConcealment', () => {
  it('conceals a lost 20 ms frame with 960 samples continuing the waveform, in RTP order', () => {
    const { c, played } = collect();
    for (let f = 0; f < 5; f++) {
      c.decoding();
      c.decoded(frame(f * 960), 48_000);
    }
    c.decoding(); // frame 5 in the decoder
    c.lost(960); // frame 6 lost: waits for frame 5's output
    expect(played).toHaveLength(5);
    c.decoded(frame(5 * 960), 48_000);
    expect(played).toHaveLength(7);
    const concealed = played[6].samples;
    expect(concealed).toHaveLength(960);
    expect(played[6].rate).toBe(48_000);
    // The first 10 ms continue the sine in phase (no attenuation yet).
    for (let i = 0; i < 480; i++) expect(Math.abs(concealed[i] - 0.3 * Math.sin((2 * Math.PI * (6 * 960 + i)) / 300))).toBeLessThan(1e-3);
    expect(c.framesConcealed).toBe(1);
  });

  it('fades consecutive losses to silence after 60 ms', () => {
    const { c, played } = collect();
    for (let f = 0; f < 5; f++) {
      c.decoding();
      c.decoded(frame(f * 960), 48_000);
    }
    for (let i = 0; i < 4; i++) c.lost(960);
    const peaks = played.slice(5).map((p) => p.samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
    expect(peaks).toHaveLength(4);
    expect(peaks[0]).toBeGreaterThan(0.29);
    expect(peaks[1]).toBeLessThan(peaks[0]);
    expect(peaks[2]).toBeLessThan(peaks[1]);
    expect(peaks[3]).toBe(0);
  });

  it('blends the next decoded frame in and does not wait for a frame the decoder dropped', () => {
    const { c, played } = collect();
    c.decoding();
    c.decoded(frame(0), 48_000);
    c.decoding();
    c.lost(960);
    c.decodeFailed();
    expect(played).toHaveLength(2);
    c.decoding();
    const next = frame(3 * 960);
    const raw = next[0];
    c.decoded(next, 48_000);
    expect(played[2].samples[0]).not.toBe(raw);
  });

  it('conceals a loss as long as the frames decoded before it (a peer sending 10 ms packets)', () => {
    const { c, played } = collect();
    for (let f = 0; f < 5; f++) {
      c.decoding();
      c.decoded(frame(f * 960).subarray(0, 480), 48_000);
    }
    c.lost();
    expect(played[5].samples).toHaveLength(480);
  });

  it('before any decoded audio there is nothing to repeat and nothing is played', () => {
    const { c, played } = collect();
    c.lost(960);
    expect(played).toHaveLength(0);
  });
});
