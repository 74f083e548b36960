import { describe, it, expect } from 'vitest';
import { createBitrateController, significantChange } from './bitrate-controller';

const opts = { minBps: 100_000, maxBps: 1_500_000, startBps: 800_000 };

describe('bitrate controller', () => {
  it('cuts by half the loss fraction above 10 % loss (GCC §6)', () => {
    const c = createBitrateController(opts);
    expect(c.update(0.2, 0)).toBe(720_000);
    expect(c.update(0.5, 100)).toBe(540_000);
  });

  it('holds between 2 % and 10 % loss', () => {
    const c = createBitrateController(opts);
    expect(c.update(0.05, 0)).toBe(800_000);
    expect(c.update(0.1, 5000)).toBe(800_000);
  });

  it('grows 5 % below 2 % loss, at most once per interval', () => {
    const c = createBitrateController(opts);
    expect(c.update(0, 0)).toBe(840_000);
    expect(c.update(0, 500)).toBe(840_000);
    expect(c.update(0.01, 1000)).toBe(882_000);
  });

  it('stays within bounds and treats nonsense loss as none', () => {
    const c = createBitrateController(opts);
    for (let t = 0; t < 100; t++) c.update(1, t);
    expect(c.bitrate).toBe(100_000);
    for (let t = 0; t < 200; t++) c.update(NaN, t * 1000);
    expect(c.bitrate).toBe(1_500_000);
    expect(createBitrateController({ ...opts, startBps: 5e6 }).bitrate).toBe(1_500_000);
  });

  it('backs off on RTT growth (delay-based, GCC §5.5) and grows again once the queue drains', () => {
    const c = createBitrateController(opts);
    // A recorded run: 1 s reports, no loss. The path has 40 ms RTT; then a 500 kbit/s bottleneck
    // fills its queue and the RTT climbs to 300 ms; then the encoder's cuts drain it.
    const rtts = [40, 42, 41, 40, 43, 120, 200, 260, 300, 300, 280, 200, 120, 60, 45, 42, 41, 40, 40, 40];
    const rates = rtts.map((rtt, k) => c.update(0, k * 1000, rtt));
    // Calm: +5 % a second.
    expect(rates.slice(0, 5)).toEqual([840_000, 882_000, 926_100, 972_405, 1_021_025]);
    // Once the smoothed RTT is 50 ms over its 40 ms minimum: -15 % a second, never up.
    const rising = rates.slice(5, 14);
    const firstCut = rising.findIndex((r, k) => r < (k === 0 ? rates[4] : rising[k - 1]));
    expect(firstCut).toBeLessThanOrEqual(1);
    for (let k = firstCut + 1; k < rising.length; k++) {
      expect(rising[k]).toBeLessThanOrEqual(rising[k - 1]);
    }
    expect(Math.min(...rates)).toBeLessThan(0.5 * rates[4]);
    expect(rates[7]).toBe(Math.round(rates[6] * 0.85));
    // Drained: growth resumes.
    expect(rates[19]).toBeGreaterThan(rates[18]);
  });

  it('cuts at most once per decrease interval however many reports say overuse', () => {
    const c = createBitrateController(opts);
    c.update(0, 0, 40);
    const before = c.bitrate;
    c.update(0, 1000, 400);
    c.update(0, 1100, 400);
    c.update(0, 1200, 400);
    expect(c.bitrate).toBe(Math.round(before * 0.85));
    expect(c.update(0, 2000, 400)).toBe(Math.round(Math.round(before * 0.85) * 0.85));
  });

  it('forgets a minimum RTT older than its window: a longer route is not a queue forever', () => {
    const c = createBitrateController({ ...opts, rttWindowMs: 10_000 });
    c.update(0, 0, 20);
    for (let t = 1000; t <= 30_000; t += 1000) c.update(0, t, 150);
    const settled = c.bitrate;
    expect(c.update(0, 31_000, 150)).toBeGreaterThan(settled);
    expect(c.smoothedRttMs).toBeCloseTo(150, 0);
  });

  it('reconfigures only for changes of 5 % or more', () => {
    expect(significantChange(800_000, 820_000)).toBe(false);
    expect(significantChange(800_000, 840_000)).toBe(true);
    expect(significantChange(0, 1)).toBe(true);
  });
});
