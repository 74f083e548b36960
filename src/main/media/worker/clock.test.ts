import { describe, it, expect } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { monotonicMs, ntpNow } from './clock';
import { NTP_UNIX_OFFSET_SECONDS } from '../rtcp/ntp';

describe('media clock', () => {
  it('gives whole milliseconds that never go back and follow real time', async () => {
    // Each reading is bracketed by performance.now() reads (the same monotonic clock), so a
    // thread preempted between two reads on a loaded machine widens the bracket, not the error.
    const a0 = performance.now();
    const a = monotonicMs();
    const a1 = performance.now();
    let last = a;
    for (let i = 0; i < 10_000; i++) {
      const t = monotonicMs();
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    await sleep(40);
    const b0 = performance.now();
    const b = monotonicMs();
    const b1 = performance.now();
    expect(Number.isInteger(a) && Number.isInteger(b)).toBe(true);
    // Small integers (V8 Smis) are what keep the packet path from allocating.
    expect(b).toBeLessThan(2 ** 31);
    // Whole ms (floored): the difference of two readings is within 1 ms of the time between them.
    expect(b - a).toBeGreaterThanOrEqual(Math.floor(b0 - a1) - 1);
    expect(b - a).toBeLessThanOrEqual(Math.ceil(b1 - a0) + 1);
  });

  it('gives the wall clock as an NTP timestamp (RFC 3550 §4)', () => {
    const before = Date.now();
    const t = ntpNow({ seconds: 0, fraction: 0 });
    const after = Date.now();
    const unixMs = (t.seconds - NTP_UNIX_OFFSET_SECONDS) * 1000 + (t.fraction / 2 ** 32) * 1000;
    expect(t.fraction).toBeGreaterThanOrEqual(0);
    expect(t.fraction).toBeLessThan(2 ** 32);
    // The monotonic clock plus the offset read at load: within a few ms of Date.now().
    expect(unixMs).toBeGreaterThanOrEqual(before - 5);
    expect(unixMs).toBeLessThanOrEqual(after + 5);
  });
});
