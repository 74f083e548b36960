import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Vp8RtpPayload } from 'werift-rtp';
import { PacketBuffer } from '../../../crypto/packet-buffer';
import { createRtpHeader, parseRtpHeader, writeRtpHeader } from '../rtp/header';
import type { RtpHeader } from '../rtp/header';
import { Vp8Depacketizer } from './vp8-depacketizer';
import { createVp8Descriptor, isVp8KeyframeStart, parseVp8Descriptor, writeVp8Descriptor } from './vp8-descriptor';
import { DEFAULT_VP8_MAX_PAYLOAD, Vp8Packetizer } from './vp8-packetizer';

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
}

// Layouts of RFC 7741 §4.2 (descriptor bits) and §4.3 (payload header P bit).
describe('VP8 payload descriptor (RFC 7741 §4.2)', () => {
  it.each([
    ['minimal: S=1 PID=0, key frame tag then start code', '10 500200 9d012a', { startOfPartition: true, partitionIndex: 0, pictureId: -1 }, 1, true],
    ['N=1, PID=3, continuation', '23 ff', { nonReference: true, startOfPartition: false, partitionIndex: 3 }, 1, false],
    ['X, I with 7-bit PictureID 0x42', '90 80 42 9d', { pictureId: 0x42, pictureIdBits: 7 }, 3, false],
    ['X, I with 15-bit PictureID 0x1234 (M=1)', '90 80 9234 00', { pictureId: 0x1234, pictureIdBits: 15 }, 4, true],
    ['X, L: TL0PICIDX 7', '90 40 07 00', { pictureId: -1, tl0PicIdx: 7 }, 3, true],
    ['X, T with Y: TID 2', '90 20 a0 00', { temporalLayerId: 2, layerSync: true, keyIndex: -1 }, 3, true],
    ['X, K: KEYIDX 5', '90 10 05 00', { temporalLayerId: -1, keyIndex: 5 }, 3, true],
    ['X, I L T K all present', '90 f0 8001 11 5f 01', { pictureId: 1, tl0PicIdx: 0x11, temporalLayerId: 1, keyIndex: 31 }, 6, false],
  ] as const)('%s', (_name, bytesHex, fields, payloadStart, keyframe) => {
    const bytes = hex(bytesHex);
    const d = createVp8Descriptor();
    expect(parseVp8Descriptor(bytes, 0, bytes.length, d)).toBeUndefined();
    expect(d).toMatchObject(fields);
    expect(d.payloadStart).toBe(payloadStart);
    expect(isVp8KeyframeStart(bytes, d)).toBe(keyframe);
    const p = PacketBuffer.alloc(0);
    writeVp8Descriptor(p, d);
    expect(Array.from(p.payload())).toEqual(Array.from(bytes.subarray(0, payloadStart)));
  });

  it.each([
    ['empty', '', 'empty'],
    ['X without its extension octet', '80', 'truncated-descriptor'],
    ['I without PictureID', '80 80', 'truncated-descriptor'],
    ['15-bit PictureID cut short', '80 80 80', 'truncated-descriptor'],
    ['descriptor with no payload', '90 80 42', 'no-payload'],
  ] as const)('rejects %s', (_name, bytesHex, error) => {
    const bytes = bytesHex ? hex(bytesHex) : new Uint8Array(0);
    expect(parseVp8Descriptor(bytes, 0, bytes.length, createVp8Descriptor())).toBe(error);
  });

  // werift-rtp 0.8 reads the T/K octet when L or K is set (not T or K), so the cross-check keeps
  // to descriptors with at most the I field.
  it('agrees with werift-rtp on random descriptors with a PictureID', () => {
    const d = createVp8Descriptor();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 16 }), (bytes) => {
        bytes[0] &= 0xb7; // R bits zero
        bytes[1] &= 0x80;
        if (parseVp8Descriptor(bytes, 0, bytes.length, d)) return true;
        const w = Vp8RtpPayload.deSerialize(Buffer.from(bytes));
        expect(w.sBit).toBe(d.startOfPartition ? 1 : 0);
        expect(w.pid).toBe(d.partitionIndex);
        if (d.pictureId >= 0) expect(w.pictureId).toBe(d.pictureId);
        expect(w.payload.length).toBe(bytes.length - d.payloadStart);
        expect(w.isKeyframe).toBe(isVp8KeyframeStart(bytes, d));
      }),
    );
  });

  it('round-trips any combination of descriptor fields', () => {
    const d = createVp8Descriptor();
    fc.assert(
      fc.property(
        fc.record({
          nonReference: fc.boolean(),
          startOfPartition: fc.boolean(),
          partitionIndex: fc.integer({ min: 0, max: 7 }),
          picture: fc.oneof(
            fc.constant([-1, 0]),
            fc.tuple(fc.integer({ min: 0, max: 0x7f }), fc.constant(7)),
            fc.tuple(fc.integer({ min: 0, max: 0x7fff }), fc.constant(15)),
          ),
          tl0PicIdx: fc.integer({ min: -1, max: 255 }),
          temporalLayerId: fc.integer({ min: -1, max: 3 }),
          layerSync: fc.boolean(),
          keyIndex: fc.integer({ min: -1, max: 31 }),
        }),
        (r) => {
          const fields = { ...r, pictureId: r.picture[0], pictureIdBits: r.picture[1], layerSync: r.temporalLayerId >= 0 && r.layerSync };
          const p = PacketBuffer.alloc(0);
          writeVp8Descriptor(p, fields);
          p.append(Uint8Array.of(0x10));
          expect(parseVp8Descriptor(p.bytes, p.start, p.end, d)).toBeUndefined();
          const { picture: _picture, ...expected } = fields;
          expect(d).toMatchObject(expected);
          expect(d.payloadStart).toBe(p.end - 1);
        },
      ),
    );
  });

  it('never throws on random input and keeps offsets in bounds', () => {
    const d = createVp8Descriptor();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        if (parseVp8Descriptor(bytes, 0, bytes.length, d)) return true;
        return d.payloadStart > 0 && d.payloadStart < bytes.length;
      }),
      { numRuns: 3000 },
    );
  });
});

function frameOf(length: number, keyframe: boolean, seed = 1): Uint8Array {
  const f = new Uint8Array(length);
  for (let i = 0; i < length; i++) f[i] = (i * 31 + seed) & 0xff;
  f[0] = keyframe ? f[0] & 0xfe : f[0] | 0x01;
  return f;
}

/** Packetizes `frame` into whole RTP packets (copies, for the test to reorder or drop). */
function packetize(pk: Vp8Packetizer, frame: Uint8Array, seq: { n: number }, timestamp: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const h = createRtpHeader();
  h.payloadType = 96;
  h.timestamp = timestamp;
  h.ssrc = 1;
  pk.begin(frame);
  while (!pk.done) {
    const p = PacketBuffer.alloc(1200);
    h.marker = pk.nextIsLast;
    h.sequenceNumber = seq.n++ & 0xffff;
    writeRtpHeader(p, h);
    expect(pk.writeNext(p)).toBeUndefined();
    out.push(p.payload().slice());
  }
  return out;
}

function feed(dp: Vp8Depacketizer, packets: Uint8Array[]): string[] {
  const h: RtpHeader = createRtpHeader();
  return packets.map((p) => {
    expect(parseRtpHeader(p, 0, p.length, h)).toBeUndefined();
    return dp.push(p, h);
  });
}

describe('VP8 packetizer and depacketizer (RFC 7741 §4.1, §4.5)', () => {
  it('splits a 5000-byte key frame into even packets of at most 1200 bytes, marker on the last', () => {
    const pk = new Vp8Packetizer(0x7ffe);
    const packets = packetize(pk, frameOf(5000, true), { n: 100 }, 9000);
    expect(packets.length).toBe(Math.ceil(5000 / (DEFAULT_VP8_MAX_PAYLOAD - 4)));
    for (const p of packets) expect(p.length).toBeLessThanOrEqual(1200);
    const h = createRtpHeader();
    const d = createVp8Descriptor();
    packets.forEach((p, i) => {
      parseRtpHeader(p, 0, p.length, h);
      parseVp8Descriptor(p, h.payloadStart, h.payloadEnd, d);
      expect(h.marker).toBe(i === packets.length - 1);
      expect(d.startOfPartition).toBe(i === 0);
      expect(d.pictureId).toBe(0x7ffe);
      expect(d.pictureIdBits).toBe(15);
    });
    // The next frame's PictureID wraps at 15 bits.
    packetize(pk, frameOf(10, false), { n: 200 }, 12000);
    packetize(pk, frameOf(10, false), { n: 201 }, 15000);
    expect(pk.pictureId).toBe(0);
  });

  it('reassembles frames byte for byte and flags the key frame', () => {
    const pk = new Vp8Packetizer(5);
    const dp = new Vp8Depacketizer(16);
    const seq = { n: 65530 };
    const key = frameOf(3000, true, 3);
    const delta = frameOf(700, false, 4);
    const results = feed(dp, packetize(pk, key, seq, 0));
    expect(results).toEqual(['partial', 'partial', 'frame']);
    expect(dp.frame.subarray(0, dp.frameLength)).toEqual(key);
    expect(dp.frameIsKeyframe).toBe(true);
    expect(dp.framePictureId).toBe(5);
    expect(feed(dp, packetize(pk, delta, seq, 3000))).toEqual(['frame']);
    expect(dp.frame.subarray(0, dp.frameLength)).toEqual(delta);
    expect(dp.frameIsKeyframe).toBe(false);
    expect(dp.frameTimestamp).toBe(3000);
  });

  it('drops a frame with a sequence gap and picks up again at the next frame start', () => {
    const pk = new Vp8Packetizer(0);
    const dp = new Vp8Depacketizer();
    const seq = { n: 0 };
    const first = packetize(pk, frameOf(3000, true), seq, 0);
    const second = packetize(pk, frameOf(100, false), seq, 3000);
    expect(feed(dp, [first[0], first[2], ...second])).toEqual(['partial', 'dropped', 'frame']);
    expect(dp.droppedFrames).toBe(1);
  });

  it('drops the tail of a frame whose start was lost', () => {
    const pk = new Vp8Packetizer(0);
    const dp = new Vp8Depacketizer();
    const packets = packetize(pk, frameOf(3000, true), { n: 0 }, 0);
    expect(feed(dp, packets.slice(1))).toEqual(['dropped', 'dropped']);
  });

  it('never throws on random RTP payloads', () => {
    const dp = new Vp8Depacketizer(8);
    const h = createRtpHeader();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 100 }), (bytes) => {
        bytes[0] = 0x80;
        if (parseRtpHeader(bytes, 0, bytes.length, h)) return true;
        return ['frame', 'partial', 'dropped'].includes(dp.push(bytes, h));
      }),
    );
  });
});
