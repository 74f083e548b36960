import { describe, it, expect } from 'vitest';
import { FrameQueueSource } from './frame-queue-source';
import { createEncodedFrame } from './media-source';

function source(onKeyframeRequest?: () => void): FrameQueueSource {
  return new FrameQueueSource({ kind: 'video', codec: 'VP8', clockRate: 90000, frameDuration: 3000, capacity: 3, maxFrameSize: 16, onKeyframeRequest });
}

describe('FrameQueueSource', () => {
  it('hands frames out in order as copies, with timestamp and keyframe flag', () => {
    const s = source();
    const data = Uint8Array.of(9, 1, 2, 3, 9);
    expect(s.push(data, 1, 3, 3000, true)).toBe(true);
    data[1] = 7;
    s.push(Uint8Array.of(4), 0, 1, 6000, false);
    const f = createEncodedFrame();
    expect(s.readFrame(f)).toBe(true);
    expect(Array.from(f.data.subarray(f.offset, f.offset + f.length))).toEqual([1, 2, 3]);
    expect([f.timestamp, f.keyframe]).toEqual([3000, true]);
    expect(s.readFrame(f)).toBe(true);
    expect([f.timestamp, f.keyframe, f.length]).toEqual([6000, false, 1]);
    expect(s.readFrame(f)).toBe(false);
  });

  it('drops the oldest frame when full and refuses oversized or out-of-range frames', () => {
    const s = source();
    for (let i = 0; i < 4; i++) s.push(Uint8Array.of(i), 0, 1, i, false);
    expect(s.push(new Uint8Array(17), 0, 17, 9, false)).toBe(false);
    expect(s.push(new Uint8Array(4), 2, 3, 9, false)).toBe(false);
    expect(s.dropped).toBe(3);
    const f = createEncodedFrame();
    const ts: number[] = [];
    while (s.readFrame(f)) ts.push(f.timestamp);
    expect(ts).toEqual([1, 2, 3]);
  });

  it('passes keyframe requests to the producer', () => {
    let asked = 0;
    source(() => asked++).requestKeyframe();
    expect(asked).toBe(1);
  });
});
