import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { PacketBuffer } from '../../../crypto/packet-buffer';
import { PacketScratch } from './packet-scratch';

/** A pooled-style packet (resizable backing store) holding `bytes` after `headroom` bytes. */
function packet(bytes: Uint8Array, headroom: number): PacketBuffer {
  const p = PacketBuffer.alloc(bytes.length, { headroom });
  p.append(bytes);
  return p;
}

describe('PacketScratch', () => {
  it('load puts data[start, end) at `at`, store puts it back, for any start (also past the first layout) and length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 3000 }), fc.nat(600), fc.nat(40), (bytes, headroom, front) => {
        const scratch = new PacketScratch(front & ~3, 4, 0);
        const p = packet(bytes, headroom);
        const at = scratch.load(p.bytes, p.start, p.end);
        expect(at % 16).toBe(0);
        expect(at).toBeGreaterThanOrEqual(front & ~3);
        expect(Buffer.from(scratch.bytes.subarray(at, at + bytes.length)).equals(Buffer.from(bytes))).toBe(true);
        expect(Buffer.from(scratch.view(bytes.length)).equals(Buffer.from(bytes))).toBe(true);
        // Change the scratch copy and store it: exactly the packet's window changes.
        for (let i = 0; i < bytes.length; i++) scratch.bytes[at + i] ^= 0xff;
        const before = Uint8Array.from(p.bytes);
        scratch.store(p.bytes, p.start, p.end);
        for (let i = 0; i < p.bytes.length; i++) {
          const inside = i >= p.start && i < p.end;
          expect(p.bytes[i]).toBe(inside ? before[i] ^ 0xff : before[i]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('views start at `at` + viewOffset, have the asked length and are kept per length', () => {
    const scratch = new PacketScratch(64, 4, -64);
    const p = packet(Uint8Array.from({ length: 100 }, (_, i) => i), 8);
    const at = scratch.load(p.bytes, p.start, p.end);
    const v = scratch.view(64 + 100);
    expect(v.byteOffset).toBe(at - 64);
    expect(v.length).toBe(164);
    expect(v[64]).toBe(0);
    expect(v[163]).toBe(99);
    expect(scratch.view(164)).toBe(v);
  });

  it('viewBefore(n) is what preceded `start` in the packet, kept per length', () => {
    const scratch = new PacketScratch(0, 16, 0);
    const p = packet(Uint8Array.from({ length: 40 }, (_, i) => i + 1), 5);
    scratch.load(p.bytes, p.start + 12, p.end);
    const header = scratch.viewBefore(12);
    expect([...header]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(scratch.viewBefore(12)).toBe(header);
  });
});
