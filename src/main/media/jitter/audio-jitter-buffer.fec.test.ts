// The packet after a lost one, handed along with the loss so its in-band FEC can rebuild it
// (Opus LBRR, RFC 6716 §2.1.7): only when it is already here and carries the very next frame.
import { describe, it, expect } from 'vitest';
import { AudioJitterBuffer } from './audio-jitter-buffer';
import { drain as drainWith } from './test-support';

const FRAME = new Uint8Array(100);

function buffer(): AudioJitterBuffer {
  return new AudioJitterBuffer({ clockRate: 48000, frameDuration: 960, capacity: 32, slotSize: 200, minDelayMs: 20, maxDelayMs: 200 });
}

/** Packet `i` of a 20 ms Opus stream, `length` bytes, its first byte = i. */
function push(jb: AudioJitterBuffer, i: number, arrivalMs: number, length = 100): void {
  FRAME[0] = i;
  jb.push(1000 + i, 7000 + i * 960, FRAME, 0, length, arrivalMs);
}

/** Pops every 5 ms until `untilMs`: frame ids, and 'lost' or 'lost+N' (N: the following packet handed along). */
function drain(jb: AudioJitterBuffer, fromMs: number, untilMs: number): string[] {
  return drainWith(jb, fromMs, untilMs, (b) => (b.followingEnd > b.followingStart ? `lost+${b.slab[b.followingStart]}` : 'lost'));
}

describe('AudioJitterBuffer: the packet after a loss', () => {
  it('is handed along with the loss when it is already buffered, and still plays next', () => {
    const jb = buffer();
    for (const i of [0, 1, 3, 4]) push(jb, i, 100 + i * 20, 50 + i);
    expect(drain(jb, 100, 250)).toEqual(['0', '1', 'lost+3', '3', '4']);
  });

  it('has the following packet’s own length', () => {
    const jb = buffer();
    for (const i of [0, 2]) push(jb, i, 100 + i * 20, 50 + i);
    expect(jb.pop(120)).toBe('frame');
    expect(jb.pop(140)).toBe('lost');
    expect(jb.followingEnd - jb.followingStart).toBe(52);
  });

  it('over two losses in a row, only the second gets it: the first one’s next packet is missing too (FEC covers just the frame before)', () => {
    const jb = buffer();
    for (const i of [0, 1, 4, 5]) push(jb, i, 100 + i * 20);
    expect(drain(jb, 100, 260)).toEqual(['0', '1', 'lost', 'lost+4', '4', '5']);
  });

  it('is empty after a frame pop', () => {
    const jb = buffer();
    for (const i of [0, 2]) push(jb, i, 100 + i * 20);
    expect(drain(jb, 100, 145)).toEqual(['0', 'lost+2']);
    expect(jb.pop(160)).toBe('frame');
    expect(jb.followingEnd - jb.followingStart).toBe(0);
  });
});
