// ChannelData framing (RFC 8656 §12.4, §12.5): exact layout, padding over TCP, and hostile bytes
// that return a typed error instead of throwing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { channelDataWireLength, encodeChannelData, looksLikeChannelData, parseChannelData } from './channel-data';

const arbChannel = fc.integer({ min: 0x4000, max: 0x4fff });

describe('TURN ChannelData (RFC 8656 §12.4)', () => {
  it('writes channel number, length and data; pads to 4 only over TCP', () => {
    const data = Uint8Array.of(1, 2, 3, 4, 5);
    expect(Array.from(encodeChannelData(0x4001, data, 'udp'))).toEqual([0x40, 0x01, 0, 5, 1, 2, 3, 4, 5]);
    expect(Array.from(encodeChannelData(0x4001, data, 'tcp'))).toEqual([0x40, 0x01, 0, 5, 1, 2, 3, 4, 5, 0, 0, 0]);
    expect(channelDataWireLength(8, 'tcp')).toBe(12);
  });

  it('refuses channel numbers outside 0x4000..0x4FFF when encoding', () => {
    expect(() => encodeChannelData(0x3fff, new Uint8Array(1), 'udp')).toThrow(RangeError);
    expect(() => encodeChannelData(0x5000, new Uint8Array(1), 'udp')).toThrow(RangeError);
  });

  it('parses with typed errors: short, reserved channel range, truncated', () => {
    expect(parseChannelData(Uint8Array.of(0x40, 0))).toEqual({ ok: false, error: 'too-short' });
    expect(parseChannelData(Uint8Array.of(0x50, 0, 0, 0))).toEqual({ ok: false, error: 'not-channel-data' });
    expect(parseChannelData(Uint8Array.of(0x00, 1, 0, 0))).toEqual({ ok: false, error: 'not-channel-data' });
    expect(parseChannelData(Uint8Array.of(0x40, 0, 0, 3, 1, 2))).toEqual({ ok: false, error: 'truncated' });
  });

  it('ignores padding after the claimed length (§12.5)', () => {
    const r = parseChannelData(Uint8Array.of(0x4f, 0xff, 0, 1, 9, 0, 0, 0));
    expect(r.ok && r.message.channel).toBe(0x4fff);
    expect(r.ok && Array.from(r.message.data)).toEqual([9]);
  });

  it('round-trips any channel and payload over either transport', () => {
    fc.assert(
      fc.property(arbChannel, fc.uint8Array({ maxLength: 300 }), fc.constantFrom('udp' as const, 'tcp' as const), (channel, data, t) => {
        const wire = encodeChannelData(channel, data, t);
        expect(wire.length % (t === 'tcp' ? 4 : 1)).toBe(0);
        expect(looksLikeChannelData(wire)).toBe(true);
        const r = parseChannelData(wire);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.message.channel).toBe(channel);
        expect(Array.from(r.message.data)).toEqual(Array.from(data));
      }),
    );
  });

  it('never throws on arbitrary bytes, and what it accepts lies within them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const r = parseChannelData(bytes);
        if (r.ok) {
          expect(r.message.channel >= 0x4000 && r.message.channel <= 0x4fff).toBe(true);
          expect(4 + r.message.data.length).toBeLessThanOrEqual(bytes.length);
        }
      }),
    );
  });
});
