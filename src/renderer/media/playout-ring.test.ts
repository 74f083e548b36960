import { describe, it, expect } from 'vitest';
import { PlayoutRing } from './playout-ring';

describe('PlayoutRing', () => {
  it('plays samples in order across the wrap', () => {
    const r = new PlayoutRing(5);
    r.write(Float32Array.of(1, 2, 3));
    const out = new Float32Array(2);
    r.read(out);
    expect([...out]).toEqual([1, 2]);
    r.write(Float32Array.of(4, 5, 6, 7));
    const all = new Float32Array(5);
    expect(r.read(all)).toBe(5);
    expect([...all]).toEqual([3, 4, 5, 6, 7]);
  });

  it('drops the oldest samples when the decoder runs ahead', () => {
    const r = new PlayoutRing(4);
    r.write(Float32Array.of(1, 2, 3));
    r.write(Float32Array.of(4, 5, 6));
    expect(r.overflows).toBe(2);
    const out = new Float32Array(4);
    r.read(out);
    expect([...out]).toEqual([3, 4, 5, 6]);
    r.write(Float32Array.of(1, 2, 3, 4, 5, 6));
    r.read(out);
    expect([...out]).toEqual([3, 4, 5, 6]);
  });

  it('plays silence when starved and counts the underrun', () => {
    const r = new PlayoutRing(8);
    r.write(Float32Array.of(0.5));
    const out = new Float32Array(3).fill(9);
    expect(r.read(out)).toBe(1);
    expect([...out]).toEqual([0.5, 0, 0]);
    expect(r.underruns).toBe(1);
    expect(r.available).toBe(0);
  });
});
