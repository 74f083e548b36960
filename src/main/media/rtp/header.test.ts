import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { RtpPacket, RtpHeader as WeriftRtpHeader } from 'werift-rtp';
import { PacketBuffer } from '../../../crypto/packet-buffer';
import {
  appendRtpHeaderExtension,
  appendRtpPadding,
  createRtpHeader,
  parseRtpHeader,
  writeRtpHeader,
} from './header';

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
}

describe('RTP header (RFC 3550 §5.1)', () => {
  it('parses a PCMU packet field by field', () => {
    // V=2 P=0 X=0 CC=0 | M=1 PT=0 | seq 0x1234 | ts 0xdeadbeef | ssrc 0x01020304 | payload ab cd
    const p = hex('8080 1234 deadbeef 01020304 abcd');
    const h = createRtpHeader();
    expect(parseRtpHeader(p, 0, p.length, h)).toBeUndefined();
    expect(h).toMatchObject({
      marker: true,
      payloadType: 0,
      sequenceNumber: 0x1234,
      timestamp: 0xdeadbeef,
      ssrc: 0x01020304,
      csrcCount: 0,
      payloadStart: 12,
      payloadEnd: 14,
      paddingLength: 0,
    });
  });

  it('parses CSRCs, a header extension and padding, with offsets inside a larger buffer', () => {
    // CC=2, X=1, P=1; extension profile 0xbede with 1 word; payload 3 bytes; padding 4 (count 4)
    const packet = hex('b2 60 0001 00000064 11111111 aaaaaaaa bbbbbbbb bede0001 10ff0000 010203 00000004');
    const buf = new Uint8Array(packet.length + 10);
    buf.set(packet, 5);
    const h = createRtpHeader();
    expect(parseRtpHeader(buf, 5, 5 + packet.length, h)).toBeUndefined();
    expect(h.csrcCount).toBe(2);
    expect([h.csrc[0], h.csrc[1]]).toEqual([0xaaaaaaaa, 0xbbbbbbbb]);
    expect(h.extensionProfile).toBe(0xbede);
    expect([h.extensionStart, h.extensionEnd]).toEqual([5 + 24, 5 + 28]);
    expect(Array.from(buf.subarray(h.payloadStart, h.payloadEnd))).toEqual([1, 2, 3]);
    expect(h.paddingLength).toBe(4);
  });

  it.each([
    ['shorter than 12 bytes', '8000 0001 00000000 000000', 'too-short'],
    ['version 1', '4000 0001 00000000 00000000', 'bad-version'],
    ['CSRC count past the end', '8300 0001 00000000 00000000 11111111', 'truncated-csrc'],
    ['extension header missing', '9000 0001 00000000 00000000 bede', 'truncated-extension'],
    ['extension length past the end', '9000 0001 00000000 00000000 bede0002 00000000', 'truncated-extension'],
    ['padding count 0', 'a000 0001 00000000 00000000 0102 00', 'bad-padding'],
    ['padding count larger than the payload', 'a000 0001 00000000 00000000 0102 04', 'bad-padding'],
  ] as const)('rejects %s', (_name, packetHex, error) => {
    const p = hex(packetHex);
    expect(parseRtpHeader(p, 0, p.length, createRtpHeader())).toBe(error);
  });

  it('writes what werift-rtp (an independent implementation) reads', () => {
    const p = PacketBuffer.alloc(16);
    const h = createRtpHeader();
    h.marker = true;
    h.payloadType = 96;
    h.sequenceNumber = 65535;
    h.timestamp = 0xfffffff0;
    h.ssrc = 0xcafebabe;
    h.csrcCount = 1;
    h.csrc[0] = 7;
    expect(writeRtpHeader(p, h)).toBeUndefined();
    expect(p.append(hex('00112233445566778899'))).toBeUndefined();
    const w = RtpPacket.deSerialize(Buffer.from(p.payload()));
    expect(w.header.marker).toBe(true);
    expect(w.header.payloadType).toBe(96);
    expect(w.header.sequenceNumber).toBe(65535);
    expect(w.header.timestamp).toBe(0xfffffff0);
    expect(w.header.ssrc).toBe(0xcafebabe);
    expect(w.header.csrc).toEqual([7]);
    expect(w.payload.length).toBe(10);
  });

  it('reads what werift-rtp writes', () => {
    const header = new WeriftRtpHeader({ payloadType: 111, sequenceNumber: 42, timestamp: 960, ssrc: 99, marker: false });
    const bytes = new RtpPacket(header, Buffer.from([9, 8, 7])).serialize();
    const h = createRtpHeader();
    expect(parseRtpHeader(bytes, 0, bytes.length, h)).toBeUndefined();
    expect([h.payloadType, h.sequenceNumber, h.timestamp, h.ssrc]).toEqual([111, 42, 960, 99]);
    expect(Array.from(bytes.subarray(h.payloadStart, h.payloadEnd))).toEqual([9, 8, 7]);
  });

  it('grows a buffer without room instead of failing, and round-trips extension + padding', () => {
    const p = PacketBuffer.alloc(0);
    const h = createRtpHeader();
    h.payloadType = 8;
    h.sequenceNumber = 1;
    h.ssrc = 5;
    const headerStart = p.end;
    expect(writeRtpHeader(p, h)).toBeUndefined();
    expect(appendRtpHeaderExtension(p, headerStart, 0xbede, hex('1001 02'))).toBeUndefined();
    expect(p.append(hex('a1a2a3'))).toBeUndefined();
    expect(appendRtpPadding(p, headerStart, 3)).toBeUndefined();
    const back = createRtpHeader();
    expect(parseRtpHeader(p.bytes, p.start, p.end, back)).toBeUndefined();
    expect(back.extensionProfile).toBe(0xbede);
    expect(back.extensionEnd - back.extensionStart).toBe(4);
    expect(Array.from(p.bytes.subarray(back.payloadStart, back.payloadEnd))).toEqual([0xa1, 0xa2, 0xa3]);
    expect(() => appendRtpPadding(p, headerStart, 0)).toThrow(RangeError);
  });

  it('never throws on random or mutated input, and parsed offsets stay inside the packet', () => {
    const h = createRtpHeader();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (bytes, forceV2) => {
        if (forceV2 && bytes.length > 0) bytes[0] = (bytes[0] & 0x3f) | 0x80;
        const err = parseRtpHeader(bytes, 0, bytes.length, h);
        if (err) return true;
        return h.payloadStart >= 12 && h.payloadStart <= h.payloadEnd && h.payloadEnd <= bytes.length;
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips random headers', () => {
    const h = createRtpHeader();
    const back = createRtpHeader();
    fc.assert(
      fc.property(
        fc.record({
          marker: fc.boolean(),
          payloadType: fc.integer({ min: 0, max: 127 }),
          sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
          timestamp: fc.integer({ min: 0, max: 0xffffffff }),
          ssrc: fc.integer({ min: 0, max: 0xffffffff }),
          csrc: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 15 }),
          payload: fc.uint8Array({ maxLength: 50 }),
        }),
        (r) => {
          Object.assign(h, { ...r, csrcCount: r.csrc.length, csrc: h.csrc });
          h.csrc.set(r.csrc);
          const p = PacketBuffer.alloc(8);
          writeRtpHeader(p, h);
          p.append(r.payload);
          expect(parseRtpHeader(p.bytes, p.start, p.end, back)).toBeUndefined();
          expect([back.marker, back.payloadType, back.sequenceNumber, back.timestamp, back.ssrc]).toEqual([
            r.marker,
            r.payloadType,
            r.sequenceNumber,
            r.timestamp,
            r.ssrc,
          ]);
          expect(Array.from(back.csrc.subarray(0, back.csrcCount))).toEqual(r.csrc);
          expect(back.payloadEnd - back.payloadStart).toBe(r.payload.length);
        },
      ),
    );
  });
});
