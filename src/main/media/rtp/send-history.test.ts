import { describe, it, expect } from 'vitest';
import { PacketBuffer } from '../../../crypto/packet-buffer';
import { appendBytes } from './bytes';
import { RtpSendHistory } from './send-history';

function rtp(seq: number, length: number): Uint8Array {
  const p = new Uint8Array(length);
  p[0] = 0x80;
  p[2] = seq >> 8;
  p[3] = seq & 0xff;
  for (let i = 12; i < length; i++) p[i] = (seq + i) & 0xff;
  return p;
}

describe('RtpSendHistory', () => {
  it('returns a stored packet byte for byte by its sequence number', () => {
    const h = new RtpSendHistory({ capacity: 8, slotSize: 200 });
    const packet = rtp(1234, 100);
    expect(h.store(packet, 0, packet.length)).toBe(true);
    const out = PacketBuffer.alloc(10);
    expect(h.copyTo(1234, out)).toBe(true);
    expect(out.payload()).toEqual(packet);
  });

  it('forgets packets older than its capacity (fixed memory ring)', () => {
    const h = new RtpSendHistory({ capacity: 4, slotSize: 64 });
    for (let seq = 65534; seq < 65534 + 6; seq++) h.store(rtp(seq & 0xffff, 40), 0, 40);
    expect(h.has(65534)).toBe(false);
    expect(h.has(65535)).toBe(false);
    for (const seq of [0, 1, 2, 3]) expect(h.has(seq)).toBe(true);
    expect(h.copyTo(65534, PacketBuffer.alloc(64))).toBe(false);
  });

  it('refuses and counts a packet larger than a slot, and ignores a short one', () => {
    const h = new RtpSendHistory({ capacity: 4, slotSize: 64 });
    expect(h.store(rtp(1, 65), 0, 65)).toBe(false);
    expect(h.oversized).toBe(1);
    expect(h.store(rtp(1, 8), 0, 8)).toBe(false);
    expect(h.has(1)).toBe(false);
  });
});

describe('appendBytes', () => {
  it('appends a range and grows the buffer', () => {
    const p = PacketBuffer.alloc(2);
    p.append(Uint8Array.of(1, 2));
    expect(appendBytes(p, Uint8Array.of(9, 3, 4, 9), 1, 3)).toBeUndefined();
    expect(Array.from(p.payload())).toEqual([1, 2, 3, 4]);
  });
});
