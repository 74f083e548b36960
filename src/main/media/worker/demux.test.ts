import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { classifyPacket, createDemuxCounters, demuxPacket } from './demux';

function packet(first: number[], length: number): Uint8Array {
  const p = new Uint8Array(length);
  p.set(first);
  return p;
}

const zrtpHello = packet([0x10, 0x00, 0x00, 0x01, 0x5a, 0x52, 0x54, 0x50], 100);

describe('RFC 7983 demultiplexing', () => {
  it.each([
    ['STUN binding request (first byte 0)', packet([0x00, 0x01], 20), 'stun'],
    ['STUN with first byte 3', packet([0x03], 28), 'stun'],
    ['ZRTP with its magic cookie (RFC 6189 §5)', zrtpHello, 'zrtp'],
    ['first byte 0x10 without the ZRTP cookie', packet([0x10, 0, 0, 1, 1, 2, 3, 4], 100), 'drop'],
    ['ZRTP fragment (first byte 0x11, bzrtp) with the cookie', packet([0x11, 0, 0, 1, 0x5a, 0x52, 0x54, 0x50], 1452), 'zrtp'],
    ['first byte 19 with the ZRTP cookie (RFC 7983 §7 range)', packet([19, 0, 0, 1, 0x5a, 0x52, 0x54, 0x50], 100), 'zrtp'],
    ['first byte 20 is DTLS even with the ZRTP cookie', packet([20, 0, 0, 1, 0x5a, 0x52, 0x54, 0x50], 100), 'dtls'],
    ['ZRTP shorter than header + message preamble + CRC', packet([0x10, 0, 0, 1, 0x5a, 0x52, 0x54, 0x50], 27), 'drop'],
    ['DTLS handshake (22)', packet([22, 0xfe, 0xfd], 60), 'dtls'],
    ['DTLS upper bound (63)', packet([63], 60), 'dtls'],
    ['RTP PCMU', packet([0x80, 0x00], 172), 'rtp'],
    ['RTP dynamic PT 96 with marker', packet([0x80, 0xe0], 100), 'rtp'],
    ['RTCP SR (200)', packet([0x80, 200], 28), 'rtcp'],
    ['RTCP RR (201) with one block', packet([0x81, 201], 32), 'rtcp'],
    ['RTCP PSFB (206)', packet([0x81, 206], 12), 'rtcp'],
    ['RTP PT 64-95 with marker bit reads as RTCP 192-223 (RFC 5761 §4)', packet([0x80, 223], 12), 'rtcp'],
    ['RTP PT 95 + marker is 223, RTP PT 96 + marker is 224: RTP', packet([0x80, 224], 12), 'rtp'],
    ['TURN ChannelData (64, RFC 7983 §7)', packet([64, 0], 40), 'turn-channel'],
    ['TURN ChannelData upper bound (79)', packet([79, 0xff], 4), 'turn-channel'],
    ['ChannelData shorter than its 4-byte header (RFC 8656 §12.4)', packet([64, 0], 3), 'drop'],
    ['first byte 80 (reserved channel range) is unknown', packet([80], 40), 'drop'],
    ['QUIC long header (192)', packet([192], 40), 'drop'],
    ['short RTP', packet([0x80, 0x00], 11), 'drop'],
    ['short STUN', packet([0x00], 19), 'drop'],
    ['empty', new Uint8Array(0), 'drop'],
  ] as const)('%s', (_name, bytes, kind) => {
    expect(classifyPacket(bytes, 0, bytes.length)).toBe(kind);
  });

  it('classifies a datagram inside a larger buffer by its own bounds', () => {
    const buf = new Uint8Array(200);
    buf.set(zrtpHello.subarray(0, 8), 50);
    expect(classifyPacket(buf, 50, 150)).toBe('zrtp');
    expect(classifyPacket(buf, 50, 60)).toBe('drop');
  });

  it('counts each kind and each drop reason', () => {
    const c = createDemuxCounters();
    const inputs = [
      packet([0x80, 0], 20),
      packet([0x80, 200], 28),
      zrtpHello,
      packet([0x01], 20),
      packet([23], 40),
      packet([0x80], 5),
      packet([100], 40),
      packet([0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4], 8),
    ];
    for (const p of inputs) demuxPacket(p, 0, p.length, c);
    expect(c).toEqual({ stun: 1, zrtp: 1, rtp: 1, rtcp: 1, dtls: 1, turnChannel: 1, short: 1, unknown: 1 });
  });

  it('counts a ChannelData too short for its header as short, not unknown', () => {
    const c = createDemuxCounters();
    expect(demuxPacket(packet([0x4f], 2), 0, 2, c)).toBe('drop');
    expect(c.short).toBe(1);
    expect(c.unknown).toBe(0);
  });

  it('never throws and always names one kind for random input', () => {
    const c = createDemuxCounters();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(8), (bytes, cut) => {
        const end = Math.max(0, bytes.length - cut);
        const kind = demuxPacket(bytes, 0, end, c);
        return ['stun', 'zrtp', 'dtls', 'turn-channel', 'rtp', 'rtcp', 'drop'].includes(kind);
      }),
    );
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    expect(total).toBe(100);
  });
});
