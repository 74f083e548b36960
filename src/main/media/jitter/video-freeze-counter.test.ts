import { describe, expect, it } from 'vitest';
import { VideoFreezeCounter } from './video-freeze-counter';

/** Replays a recorded receive log: 'p' a packet, 'f' a frame to the decoder, at each time (ms). */
function replay(log: [number, 'p' | 'f'][]): VideoFreezeCounter {
  const c = new VideoFreezeCounter();
  for (const [t, what] of log) {
    if (what === 'p') c.packet();
    else c.frame(t);
  }
  return c;
}

/** 30 frames/s of one packet each from `from` to `to` ms. */
function smooth(from: number, to: number): [number, 'p' | 'f'][] {
  const out: [number, 'p' | 'f'][] = [];
  for (let t = from; t < to; t += 33) out.push([t, 'p'], [t, 'f']);
  return out;
}

describe('VideoFreezeCounter', () => {
  it('counts no freeze while frames flow', () => {
    expect(replay(smooth(0, 5000)).freezes).toBe(0);
  });

  it('counts a freeze when frames stop for over 200 ms while packets arrive (waiting for a keyframe)', () => {
    const waiting: [number, 'p' | 'f'][] = [];
    for (let t = 1000; t < 1500; t += 33) waiting.push([t, 'p']);
    const c = replay([...smooth(0, 1000), ...waiting, ...smooth(1500, 3000)]);
    expect(c.freezes).toBe(1);
    expect(c.frozenMs).toBeGreaterThan(500);
  });

  it('does not count a gap of 200 ms or less, nor a sender that paused', () => {
    const short: [number, 'p' | 'f'][] = [...smooth(0, 1000), [1100, 'p'], [1150, 'p'], [1190, 'f']];
    expect(replay(short).freezes).toBe(0);
    const paused = replay([...smooth(0, 1000), ...smooth(4000, 5000)]);
    expect(paused.freezes).toBe(0);
  });
});
