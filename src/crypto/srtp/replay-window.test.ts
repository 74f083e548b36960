import { describe, it, expect } from 'vitest';
import { ReplayWindow } from './replay-window';
import { estimateIndex } from './roc';

describe('estimateIndex (RFC 3711 Appendix A)', () => {
  it('keeps the ROC for nearby sequence numbers', () => {
    expect(estimateIndex(3, 1000, 1001)).toBe(3 * 65536 + 1001);
    expect(estimateIndex(3, 1000, 900)).toBe(3 * 65536 + 900);
  });
  it('guesses ROC + 1 after a wrap and ROC - 1 for a late packet from before it', () => {
    expect(estimateIndex(0, 65530, 5)).toBe(65536 + 5);
    expect(estimateIndex(1, 5, 65530)).toBe(65530);
    // With ROC 0 there is nothing before: a jump of more than 2^15 stays in ROC 0 (as libsrtp).
    expect(estimateIndex(0, 5, 65530)).toBe(65530);
  });
});

describe('ReplayWindow (RFC 3711 §3.3.2)', () => {
  it('accepts each index once, inside the window only', () => {
    const w = new ReplayWindow(64);
    expect(w.check(100)).toBe('fresh');
    w.accept(100);
    expect(w.check(100)).toBe('replayed');
    expect(w.check(36)).toBe('too-old');
    expect(w.check(37)).toBe('fresh');
    w.accept(300);
    expect(w.check(100)).toBe('too-old');
    expect(w.check(299)).toBe('fresh');
    w.accept(299);
    expect(w.check(299)).toBe('replayed');
    expect(w.highest).toBe(300);
  });
  it('clears the slots it slides over', () => {
    const w = new ReplayWindow(8);
    for (let i = 0; i < 8; i++) w.accept(i);
    w.accept(12);
    for (const i of [9, 10, 11]) expect(w.check(i)).toBe('fresh');
    expect(w.check(4)).toBe('too-old');
    expect(w.check(5)).toBe('replayed');
    expect(w.check(7)).toBe('replayed');
  });
  it('refuses a nonsensical size', () => {
    expect(() => new ReplayWindow(0)).toThrow(RangeError);
  });
});
