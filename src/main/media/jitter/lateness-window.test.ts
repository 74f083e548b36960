import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { LatenessWindow } from './lateness-window';

/** Arrival times 20 ms apart (no bursts) unless a test says otherwise. */
let clock = 0;

describe('LatenessWindow', () => {
  it('judges each packet against the fastest of the ones arriving after it', () => {
    const w = new LatenessWindow(100, 300, 2, 4);
    // Transits 10, 40 (late by 30 against its successors), 10, 10, 10.
    for (const t of [10, 40, 10, 10, 10]) w.add(t, (clock += 20));
    expect(w.length).toBe(3);
    expect(w.quantileMs(0.5)).toBe(0);
    expect(w.quantileMs(0.99)).toBe(30);
  });

  it('takes a whole-stream shift for the base, not for lateness', () => {
    const w = new LatenessWindow(100, 300, 4, 10);
    for (let i = 0; i < 20; i++) w.add(5, (clock += 20));
    for (let i = 0; i < 9; i++) w.add(205, (clock += 20));
    // The base is still the fastest of the last 10 packets...
    expect(w.baseTransitMs).toBe(5);
    w.add(205, (clock += 20));
    // ...and moves with the stream once they all came the slower way.
    expect(w.baseTransitMs).toBe(205);
    expect(w.quantileMs(0.99)).toBe(0);
  });

  it('judges a burst of packets arriving together by its first', () => {
    const w = new LatenessWindow(100, 300, 8, 10);
    for (let i = 0; i < 20; i++) w.add(0, i * 20);
    // A 100 ms stall: the next five packets arrive at once (transits 100, 80, ... 20), then on time.
    for (let i = 0; i < 5; i++) w.add(100 - 20 * i, 500);
    for (let i = 0; i < 20; i++) w.add(0, 520 + i * 20);
    // 45 packets, the last 8 not judged yet, 4 in the burst behind its first.
    expect(w.quantileMs(0.9)).toBe(0);
    expect(w.quantileMs(0.99)).toBe(100);
    expect(w.length).toBe(45 - 8 - 4);
  });

  it('does not judge a packet its reader marks as read late by a stall', () => {
    const w = new LatenessWindow(100, 300, 4, 10);
    for (let i = 0; i < 10; i++) w.add(0, i * 20);
    w.add(90, 290, false);
    for (let i = 0; i < 10; i++) w.add(0, 300 + i * 20);
    expect(w.quantileMs(0.99)).toBe(0);
    expect(w.length).toBe(21 - 4 - 1);
  });

  it('forgets lateness older than its size', () => {
    const w = new LatenessWindow(50, 300, 1, 10);
    for (let i = 0; i < 60; i++) w.add(i % 2 ? 80 : 0, (clock += 20));
    expect(w.quantileMs(0.99)).toBe(80);
    for (let i = 0; i < 51; i++) w.add(0, (clock += 20));
    expect(w.quantileMs(0.99)).toBe(0);
    expect(w.length).toBe(50);
  });

  it('the quantile covers the share asked for, within the bounds, for any transits', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 1, maxLength: 300 }), (transits) => {
        const w = new LatenessWindow(64, 200, 3, 20);
        transits.forEach((t, i) => w.add(t, 20 * i));
        const q = w.quantileMs(0.9);
        return q >= 0 && q <= 200 && Number.isInteger(q) && w.baseTransitMs <= transits[transits.length - 1];
      }),
    );
  });
});
