import { describe, expect, it } from 'vitest';
import { encodeG711 } from '../g711';
import { G711ConcealingDecoder } from './g711-plc';

/** A packet sequence as a sender makes it: 20 ms PCMU frames of a voiced signal (period 64). */
function recordedFrames(count: number): { pcm: Int16Array; frames: Uint8Array[] } {
  const pcm = new Int16Array(count * 160);
  for (let n = 0; n < pcm.length; n++) {
    const p = (2 * Math.PI * n) / 64;
    pcm[n] = Math.round(6000 * Math.sin(p) + 2000 * Math.sin(2 * p + 0.5));
  }
  const frames: Uint8Array[] = [];
  for (let f = 0; f < count; f++) {
    const frame = new Uint8Array(160);
    encodeG711('PCMU', pcm, frame, 160, f * 160);
    frames.push(frame);
  }
  return { pcm, frames };
}

function errorEnergyRatio(out: Int16Array, ref: Int16Array, from: number, to: number): number {
  let e = 0;
  let s = 0;
  for (let i = from; i < to; i++) {
    e += (out[i] - ref[i]) ** 2;
    s += ref[i] ** 2;
  }
  return e / s;
}

describe('G711ConcealingDecoder (ITU-T G.711 Appendix I)', () => {
  it('turns a lost frame into a concealed frame of 160 samples close to what was sent', () => {
    const { pcm, frames } = recordedFrames(12);
    const d = new G711ConcealingDecoder('PCMU');
    const out = new Int16Array(12 * 160);
    for (let f = 0; f < 12; f++) {
      if (f === 6) d.conceal(out, 160, f * 160);
      else d.decode(frames[f], out, 160, 0, f * 160);
    }
    expect(d.concealedSamples).toBe(160);
    // Silence there would be an error as large as the signal (ratio 1); repetition is far closer.
    expect(errorEnergyRatio(out, pcm, 6 * 160, 7 * 160)).toBeLessThan(0.05);
    // The good frames before the loss are plain G.711 decoding.
    expect(errorEnergyRatio(out, pcm, 0, 6 * 160)).toBeLessThan(0.001);
  });

  it('fades over consecutive losses to silence after 60 ms, then picks the audio up again', () => {
    const { pcm } = recordedFrames(12);
    const d = new G711ConcealingDecoder('PCMA');
    const pcma = Array.from({ length: 12 }, () => new Uint8Array(160));
    for (let f = 0; f < 12; f++) encodeG711('PCMA', pcm, pcma[f], 160, f * 160);
    const out = new Int16Array(12 * 160);
    for (let f = 0; f < 12; f++) {
      if (f >= 4 && f < 8) d.conceal(out, 160, f * 160);
      else d.decode(pcma[f], out, 160, 0, f * 160);
    }
    const energy = (from: number) => out.slice(from, from + 80).reduce((a, v) => a + v * v, 0);
    const perTenMs = [8, 9, 10, 11, 12, 13, 14].map((k) => energy(k * 80));
    for (let k = 1; k < perTenMs.length - 1; k++) expect(perTenMs[k]).toBeLessThan(perTenMs[k - 1]);
    expect(perTenMs[6]).toBe(0);
    expect(out.slice(14 * 80, 16 * 80).every((v) => v === 0)).toBe(true);
    // The frame after the loss fades in from silence and ends as the decoded audio.
    expect(Math.abs(out[8 * 160])).toBeLessThan(200);
    expect(errorEnergyRatio(out, pcm, 8 * 160 + 80, 12 * 160)).toBeLessThan(0.001);
  });

  it('interpolates a lost frame towards the next packet when it is here: closer at a pitch change than repetition', () => {
    // Period 64 up to frame 6, then 80: the lost frame 6 is where the talker's pitch moved.
    const pcm = new Int16Array(12 * 160);
    for (let n = 0; n < pcm.length; n++) pcm[n] = Math.round(6000 * Math.sin((2 * Math.PI * n) / (n < 6 * 160 ? 64 : 80)));
    const frames = Array.from({ length: 12 }, (_, f) => {
      const frame = new Uint8Array(160);
      encodeG711('PCMU', pcm, frame, 160, f * 160);
      return frame;
    });
    const run = (interpolate: boolean): Int16Array => {
      const d = new G711ConcealingDecoder('PCMU');
      const out = new Int16Array(12 * 160);
      for (let f = 0; f < 12; f++) {
        if (f !== 6) d.decode(frames[f], out, 160, 0, f * 160);
        else if (interpolate) d.concealBefore(out, 160, f * 160, frames[7], 0, 160);
        else d.conceal(out, 160, f * 160);
      }
      expect(d.concealedSamples).toBe(160);
      return out;
    };
    const interpolated = errorEnergyRatio(run(true), pcm, 6 * 160, 7 * 160);
    expect(interpolated).toBeLessThan(0.5 * errorEnergyRatio(run(false), pcm, 6 * 160, 7 * 160));
    // The next frame is plain decoding: nothing blended into it.
    expect(errorEnergyRatio(run(true), pcm, 7 * 160, 12 * 160)).toBeLessThan(0.001);
  });
});
