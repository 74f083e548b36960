import { describe, it, expect } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { monotonicMs, ntpNow } from './clock';
import { NTP_UNIX_OFFSET_SECONDS } from '../rtcp/ntp';

describe('media clock', () => {
  it('gives whole milliseconds that never go back and follow real time', async () => {
    const a = monotonicMs();
    const t0 = performance.now();
    let last = a;
    for (let i = 0; i < 10_000; i++) {
      const t = monotonicMs();
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    await sleep(40);
    const b = monotonicMs();
    const real = performance.now() - t0;
    expect(Number.isInteger(a) && Number.isInteger(b)).toBe(true);
    // Small integers (V8 Smis) are what keep the packet path from allocating.
    expect(b).toBeLessThan(2 ** 31);
    expect(b - a).toBeGreaterThanOrEqual(Math.floor(real) - 2);
    expect(b - a).toBeLessThanOrEqual(Math.ceil(real) + 2);
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
