// The shared intervals on vitest's fake timers and a clock of their own: which callbacks run on
// which tick, and the time a tick is stamped with, asserted exactly (no real waiting).
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { SharedIntervals, everyMs, lastTickMs } from './shared-interval';
import { monotonicMs } from './clock';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'Date'], now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Shared intervals whose clock is the fake Date (ms since the test's fake epoch 0). */
const fakeClockIntervals = (): SharedIntervals => new SharedIntervals(() => Date.now());

describe('everyMs: callbacks of one period share one interval', () => {
  it('runs both callbacks on the same ticks, in the order added, until each is cleared', () => {
    const intervals = fakeClockIntervals();
    const ticks: string[] = [];
    const stopA = intervals.everyMs(7, () => ticks.push('a'));
    const stopB = intervals.everyMs(7, () => ticks.push('b'));
    // One timer for both: one wake-up per period.
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(35);
    expect(ticks).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    stopA();
    stopA(); // a second call clears nothing more
    vi.advanceTimersByTime(21);
    expect(ticks.slice(10)).toEqual(['b', 'b', 'b']);
    expect(vi.getTimerCount()).toBe(1);
    stopB();
    expect(intervals.lastTickMs(7)).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(30);
    expect(ticks).toHaveLength(13);
  });

  it('gives each period its own interval', () => {
    const intervals = fakeClockIntervals();
    const ticks: string[] = [];
    const stop5 = intervals.everyMs(5, () => ticks.push(`5@${Date.now()}`));
    const stop8 = intervals.everyMs(8, () => ticks.push(`8@${Date.now()}`));
    expect(vi.getTimerCount()).toBe(2);
    vi.advanceTimersByTime(16);
    expect(ticks).toEqual(['5@5', '8@8', '5@10', '5@15', '8@16']);
    stop5();
    stop8();
  });

  it('lets a callback clear itself (or another) during a tick without skipping the rest', () => {
    const intervals = fakeClockIntervals();
    const ticks: string[] = [];
    const stopA: () => void = intervals.everyMs(9, () => {
      ticks.push('a');
      stopA();
    });
    const stopC: () => void = intervals.everyMs(9, () => ticks.push('c'));
    const stopB = intervals.everyMs(9, () => {
      ticks.push('b');
      stopC();
    });
    vi.advanceTimersByTime(27);
    stopB();
    // First tick: a (clears itself), c, b (clears c); the list a tick started with runs whole.
    expect(ticks).toEqual(['a', 'c', 'b', 'b', 'b']);
  });

  it('tells when the shared interval last ticked, a late tick by its own time', () => {
    const intervals = fakeClockIntervals();
    expect(intervals.lastTickMs(11)).toBeUndefined();
    vi.advanceTimersByTime(3);
    const stop = intervals.everyMs(11, () => {});
    // Before its first tick: the interval's start.
    expect(intervals.lastTickMs(11)).toBe(3);
    vi.advanceTimersByTime(11);
    expect(intervals.lastTickMs(11)).toBe(14);
    vi.advanceTimersByTime(10);
    expect(intervals.lastTickMs(11)).toBe(14);
    vi.advanceTimersByTime(1);
    expect(intervals.lastTickMs(11)).toBe(25);
    // The thread stalls for 30 ms: the next tick comes that much late and says so.
    vi.setSystemTime(55);
    vi.advanceTimersByTime(11);
    expect(intervals.lastTickMs(11)).toBe(66);
    stop();
    expect(intervals.lastTickMs(11)).toBeUndefined();
  });

  it('the worker-wide everyMs/lastTickMs run on the worker clock (monotonicMs)', () => {
    const before = monotonicMs();
    let ran = 0;
    const stop = everyMs(13, () => ran++);
    const started = lastTickMs(13)!;
    expect(started).toBeGreaterThanOrEqual(before);
    expect(started).toBeLessThanOrEqual(monotonicMs());
    vi.advanceTimersByTime(26);
    expect(ran).toBe(2);
    expect(lastTickMs(13)!).toBeGreaterThanOrEqual(started);
    stop();
    expect(lastTickMs(13)).toBeUndefined();
  });
});
