import { describe, it, expect } from 'vitest';
import { createLevelSmoother, dbToMeter, pcm16Level, rmsDbfs } from './level-meter';

describe('level meter', () => {
  it('a full-scale square wave is 0 dBFS; a full-scale sine is -3.01 dBFS', () => {
    expect(rmsDbfs(Float32Array.from({ length: 480 }, (_, i) => (i % 2 ? 1 : -1)))).toBeCloseTo(0, 6);
    const sine = Float32Array.from({ length: 4800 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 48000));
    expect(rmsDbfs(sine)).toBeCloseTo(-3.01, 2);
  });

  it('silence and empty blocks are -Infinity and read 0 on the meter', () => {
    expect(rmsDbfs(new Float32Array(10))).toBe(-Infinity);
    expect(rmsDbfs([])).toBe(-Infinity);
    expect(dbToMeter(-Infinity)).toBe(0);
    expect(dbToMeter(NaN)).toBe(0);
  });

  it('maps -60..0 dBFS onto 0..1 and clamps', () => {
    expect(dbToMeter(-60)).toBe(0);
    expect(dbToMeter(-30)).toBeCloseTo(0.5);
    expect(dbToMeter(0)).toBe(1);
    expect(dbToMeter(6)).toBe(1);
  });

  it('rises at once and falls slowly', () => {
    const s = createLevelSmoother(1);
    expect(s.next(0.8, 0.02)).toBe(0.8);
    expect(s.next(0, 0.1)).toBeCloseTo(0.7);
    expect(s.next(0.75, 0.02)).toBe(0.75);
    expect(s.next(0, 10)).toBe(0);
  });

  it('reads 16-bit PCM on the same scale', () => {
    expect(pcm16Level(Int16Array.from({ length: 160 }, (_, i) => (i % 2 ? 16384 : -16384)))).toBeCloseTo(dbToMeter(-6.02), 3);
  });
});
