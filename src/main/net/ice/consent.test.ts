// Consent freshness timing (RFC 7675 §5.1): 5 s ± 20 % between requests, expiry 30 s after the last answer.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConsentFreshness } from './consent';

describe('ConsentFreshness', () => {
  it('schedules requests 4–6 s apart for any random source', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.9999999, noNaN: true }), { minLength: 20, maxLength: 20 }), (rs) => {
        let i = 0;
        const c = new ConsentFreshness(0, () => rs[i++ % rs.length]);
        let last = 0;
        let sends = 0;
        for (let now = 0; now <= 60_000; now += 10) {
          if (!c.due(now)) continue;
          expect(now - last).toBeGreaterThanOrEqual(4000);
          expect(now - last).toBeLessThanOrEqual(6010);
          last = now;
          sends++;
          c.granted(now + 20);
        }
        expect(sends).toBeGreaterThanOrEqual(9);
        expect(c.expired(60_000)).toBe(false);
      }),
    );
  });

  it('expires 30 s after the last grant, and the next timeout covers the expiry', () => {
    const c = new ConsentFreshness(1000, () => 0.5);
    expect(c.nextTimeout()).toBe(6000);
    c.granted(7000);
    c.granted(3000);
    expect(c.expiresAt).toBe(37_000);
    expect(c.expired(36_999)).toBe(false);
    expect(c.expired(37_000)).toBe(true);
  });
});
