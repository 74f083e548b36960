import { describe, it, expect } from 'vitest';
import { everyMs, lastTickMs } from './shared-interval';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('everyMs: callbacks of one period share one interval', () => {
  it('runs both callbacks on the same ticks, in the order added, until each is cleared', async () => {
    const ticks: string[] = [];
    const stopA = everyMs(7, () => ticks.push('a'));
    const stopB = everyMs(7, () => ticks.push('b'));
    await sleep(40);
    // Same wake-up: every 'a' is followed by its 'b'.
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    for (let i = 0; i + 1 < ticks.length; i += 2) expect(ticks.slice(i, i + 2)).toEqual(['a', 'b']);
    stopA();
    const n = ticks.length;
    await sleep(30);
    expect(ticks.slice(n).every((t) => t === 'b')).toBe(true);
    expect(ticks.length).toBeGreaterThan(n);
    stopB();
    expect(lastTickMs(7)).toBeUndefined();
    const m = ticks.length;
    await sleep(30);
    expect(ticks.length).toBe(m);
  });

  it('lets a callback clear itself (or another) during a tick without skipping the rest', async () => {
    const ticks: string[] = [];
    const stopA: () => void = everyMs(9, () => {
      ticks.push('a');
      stopA();
    });
    const stopB = everyMs(9, () => ticks.push('b'));
    await sleep(40);
    stopB();
    expect(ticks[0]).toBe('a');
    expect(ticks.filter((t) => t === 'a')).toHaveLength(1);
    expect(ticks.filter((t) => t === 'b').length).toBeGreaterThanOrEqual(2);
  });

  it('tells when the shared interval last ticked', async () => {
    expect(lastTickMs(11)).toBeUndefined();
    const stop = everyMs(11, () => {});
    const started = lastTickMs(11)!;
    await sleep(30);
    expect(lastTickMs(11)!).toBeGreaterThan(started);
    stop();
  });
});
