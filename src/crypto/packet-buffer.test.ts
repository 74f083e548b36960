import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MAX_UDP_PAYLOAD_IPV4, MAX_UDP_PAYLOAD_IPV6, PacketBuffer, PacketPool } from './packet-buffer';

describe('PacketBuffer', () => {
  it('starts empty at its headroom with the asked capacity', () => {
    const p = PacketBuffer.alloc(64, { headroom: 8 });
    expect(p.start).toBe(8);
    expect(p.end).toBe(8);
    expect(p.length).toBe(0);
    expect(p.headroom).toBe(8);
    expect(p.tailroom).toBe(64);
    expect(p.bytes.length).toBe(72);
  });

  it('grows in place when a trailer does not fit (#3408: 60-byte RTCP in a 64-byte buffer)', () => {
    const p = PacketBuffer.alloc(64);
    const bytes = p.bytes;
    expect(p.append(new Uint8Array(60).fill(0x81))).toBeUndefined();
    expect(p.tailroom).toBe(4);
    expect(p.append(new Uint8Array(14).fill(0xee))).toBeUndefined();
    expect(p.length).toBe(74);
    expect(p.bytes).toBe(bytes);
    expect(bytes.length).toBe(74);
    expect(Array.from(bytes.subarray(0, 60)).every((b) => b === 0x81)).toBe(true);
    expect(Array.from(bytes.subarray(60, 74)).every((b) => b === 0xee)).toBe(true);
  });

  it('grows up to the IPv6 maximum UDP payload and fails past it with a typed error', () => {
    const p = PacketBuffer.alloc(0, { headroom: 16 });
    expect(p.setLength(MAX_UDP_PAYLOAD_IPV6)).toBeUndefined();
    expect(p.length).toBe(MAX_UDP_PAYLOAD_IPV6);
    expect(p.ensureTailroom(1)).toEqual({ kind: 'over-max-payload', requested: MAX_UDP_PAYLOAD_IPV6 + 1, maxPayload: MAX_UDP_PAYLOAD_IPV6 });
    expect(p.length).toBe(MAX_UDP_PAYLOAD_IPV6);
  });

  it('honours an IPv4 maximum', () => {
    const p = PacketBuffer.alloc(100, { maxPayload: MAX_UDP_PAYLOAD_IPV4 });
    expect(p.setLength(MAX_UDP_PAYLOAD_IPV4)).toBeUndefined();
    expect(p.append(new Uint8Array(1))?.kind).toBe('over-max-payload');
  });

  it('moves a payload that sits deep in the buffer back to make room', () => {
    const p = PacketBuffer.alloc(200, { headroom: 4, maxPayload: 200 });
    p.setLength(200);
    p.bytes[p.start + 150] = 7;
    p.start += 150; // e.g. a header was stripped
    expect(p.length).toBe(50);
    expect(p.ensureTailroom(150)).toBeUndefined();
    expect(p.start).toBe(4);
    expect(p.bytes[p.start]).toBe(7);
    expect(p.tailroom).toBeGreaterThanOrEqual(150);
  });

  it('copies a datagram in with tailroom', () => {
    const p = PacketBuffer.from(new Uint8Array([1, 2, 3]), { tailroom: 14 });
    if (!(p instanceof PacketBuffer)) throw new Error('expected a buffer');
    expect(Array.from(p.payload())).toEqual([1, 2, 3]);
    expect(p.tailroom).toBe(14);
    expect(PacketBuffer.from(new Uint8Array(10), { maxPayload: 9 })).toMatchObject({ kind: 'over-max-payload' });
  });

  it('assignRange copies a slice (a ChannelData payload behind its header) and keeps the tailroom rule', () => {
    const p = PacketBuffer.alloc(16, { headroom: 8, maxPayload: 32 });
    const datagram = new Uint8Array([0x40, 0x00, 0x00, 0x03, 7, 8, 9, 0xff]);
    expect(p.assignRange(datagram, 4, 7)).toBeUndefined();
    expect([...p.payload()]).toEqual([7, 8, 9]);
    expect(p.headroom).toBe(8);
    expect(p.assignRange(new Uint8Array(40), 2, 40)).toBeDefined();
    expect(p.assignRange(datagram, 0, datagram.length)).toBeUndefined();
    expect(p.length).toBe(8);
  });

  it('rejects invalid configuration', () => {
    expect(() => PacketBuffer.alloc(-1)).toThrow(RangeError);
    expect(() => PacketBuffer.alloc(70000)).toThrow(RangeError);
  });

  it('setLength and ensureTailroom never throw and keep start <= end <= bytes.length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.constant(Number.NaN)), { maxLength: 20 }),
        (ops) => {
          const p = PacketBuffer.alloc(10, { headroom: 3 });
          for (const n of ops) {
            if (n % 2 === 0) p.setLength(n);
            else p.ensureTailroom(n);
            expect(p.start).toBeLessThanOrEqual(p.end);
            expect(p.end).toBeLessThanOrEqual(p.bytes.length);
            expect(p.length).toBeLessThanOrEqual(MAX_UDP_PAYLOAD_IPV6);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('PacketPool', () => {
  it('hands out buffers with tailroom for the trailer and reuses returned ones reset', () => {
    const pool = new PacketPool({ packetSize: 1200, tailroom: 14, headroom: 4 });
    const a = pool.take();
    expect(a.tailroom).toBe(1214);
    a.append(new Uint8Array(1200));
    a.append(new Uint8Array(100)); // grew
    pool.give(a);
    pool.give(a);
    expect(pool.available).toBe(1);
    const b = pool.take();
    expect(b).toBe(a);
    expect(b.length).toBe(0);
    expect(b.start).toBe(4);
    expect(b.tailroom).toBeGreaterThanOrEqual(1214);
  });

  it('keeps at most max buffers', () => {
    const pool = new PacketPool({ packetSize: 100, tailroom: 0, max: 2 });
    const taken = [pool.take(), pool.take(), pool.take()];
    for (const p of taken) pool.give(p);
    expect(pool.available).toBe(2);
  });
});
