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

  it('reconfigures only for changes of 5 % or more', () => {
    expect(significantChange(800_000, 820_000)).toBe(false);
    expect(significantChange(800_000, 840_000)).toBe(true);
    expect(significantChange(0, 1)).toBe(true);
  });
});
