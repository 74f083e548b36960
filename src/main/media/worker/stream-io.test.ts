import { describe, expect, it } from 'vitest';
import { createEncodedFrame } from '../sources';
import { PostingSink } from './stream-io';

describe('PostingSink', () => {
  it('posts each frame as a copy, and a lost audio frame as an empty payload at its timestamp', () => {
    const posted: { timestamp: number; keyframe: boolean; payload: Uint8Array }[] = [];
    const sink = new PostingSink('audio', 'opus', (f) => posted.push(f));
    const f = createEncodedFrame();
    f.data = new Uint8Array([9, 1, 2, 3, 9]);
    f.offset = 1;
    f.length = 3;
    f.timestamp = 960;
    sink.writeFrame(f);
    f.data[1] = 7;
    sink.writeLoss(960, 1920);
    expect(posted).toEqual([
      { timestamp: 960, keyframe: false, payload: new Uint8Array([1, 2, 3]) },
      { timestamp: 1920, keyframe: false, payload: new Uint8Array(0) },
    ]);
  });

  it('posts nothing for video losses (the frame assembler and PLI deal with those)', () => {
    const posted: unknown[] = [];
    new PostingSink('video', 'VP8', (f) => posted.push(f)).writeLoss(3000, 90_000);
    expect(posted).toEqual([]);
  });
});
