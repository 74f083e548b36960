import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  GenericNack,
  PictureLossIndication,
  RtcpPacketConverter,
  RtcpReceiverInfo,
  RtcpRrPacket,
  RtcpSenderInfo,
  RtcpSrPacket,
  RtcpPayloadSpecificFeedback,
  RtcpTransportLayerFeedback,
} from 'werift-rtp';
import { PacketBuffer } from '../../../crypto/packet-buffer';
import { writeBye } from './bye';
import { RtcpCompoundParser } from './compound';
import type { RtcpHandler } from './compound';
import { firSequenceFor, nackedSequenceNumbers, writeFir, writeNack, writePli } from './feedback';
import { createRtcpReport, writeRtcpReport } from './reports';
import type { RtcpReport } from './reports';
import { writeSdesCname } from './sdes';

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
}

function sampleSr(): RtcpReport {
  const r = createRtcpReport();
  r.isSenderReport = true;
  r.ssrc = 0x11223344;
  r.ntpSeconds = 0xe8000001;
  r.ntpFraction = 0x80000000;
  r.rtpTimestamp = 123456;
  r.packetCount = 50;
  r.octetCount = 8000;
  r.reportCount = 1;
  Object.assign(r.reports[0], {
    ssrc: 0xaabbccdd,
    fractionLost: 64,
    cumulativeLost: -3,
    extendedHighestSequence: 0x1ffff,
    jitter: 77,
    lastSenderReport: 0x00010002,
    delaySinceLastSenderReport: 0x8000,
  });
  return r;
}

function collect(bytes: Uint8Array): { log: string[]; handler: RtcpHandler } {
  const log: string[] = [];
  const decoder = new TextDecoder();
  const lost = new Uint16Array(64);
  const handler: RtcpHandler = {
    onReport: (r) =>
      log.push(`${r.isSenderReport ? 'SR' : 'RR'} ${r.ssrc.toString(16)} blocks=${r.reportCount}` +
        (r.reportCount ? ` lost=${r.reports[0].cumulativeLost} frac=${r.reports[0].fractionLost}` : '')),
    onSdes: (s, b) => log.push(`SDES ${s.chunks[0].ssrc.toString(16)} ${decoder.decode(b.subarray(s.chunks[0].cnameStart, s.chunks[0].cnameEnd))}`),
    onBye: (y, b) => log.push(`BYE ${y.sources[0].toString(16)} ${decoder.decode(b.subarray(y.reasonStart, y.reasonEnd))}`),
    onNack: (fb, b) => log.push(`NACK ${fb.mediaSsrc} ${Array.from(lost.subarray(0, nackedSequenceNumbers(b, fb, lost))).join(',')}`),
    onPli: (fb) => log.push(`PLI ${fb.senderSsrc}->${fb.mediaSsrc}`),
    onFir: (fb, b) => log.push(`FIR seq=${firSequenceFor(b, fb, 9)}`),
    onOther: (v) => log.push(`other ${v.packetType}`),
  };
  void bytes;
  return { log, handler };
}

describe('RTCP reports (RFC 3550 §6.4)', () => {
  it('writes an SR that werift-rtp reads field by field', () => {
    const p = PacketBuffer.alloc(8);
    expect(writeRtcpReport(p, sampleSr())).toBeUndefined();
    expect(p.length).toBe(28 + 24);
    const [sr] = RtcpPacketConverter.deSerialize(Buffer.from(p.payload())) as RtcpSrPacket[];
    expect(sr.ssrc).toBe(0x11223344);
    expect(sr.senderInfo.ntpTimestamp).toBe(0xe800000180000000n);
    expect(sr.senderInfo.rtpTimestamp).toBe(123456);
    expect([sr.senderInfo.packetCount, sr.senderInfo.octetCount]).toEqual([50, 8000]);
    expect(sr.reports[0]).toMatchObject({ ssrc: 0xaabbccdd, fractionLost: 64, highestSequence: 0x1ffff, jitter: 77, lsr: 0x10002, dlsr: 0x8000 });
  });

  it('reads an SR and an RR that werift-rtp writes', () => {
    const sr = new RtcpSrPacket({
      ssrc: 5,
      senderInfo: new RtcpSenderInfo({ ntpTimestamp: 0x0102030405060708n, rtpTimestamp: 9, packetCount: 10, octetCount: 11 }),
      reports: [new RtcpReceiverInfo({ ssrc: 6, fractionLost: 1, packetsLost: 2, highestSequence: 3, jitter: 4, lsr: 5, dlsr: 6 })],
    }).serialize();
    const rr = new RtcpRrPacket({ ssrc: 7, reports: [] }).serialize();
    const bytes = Buffer.concat([sr, rr]);
    const { log, handler } = collect(bytes);
    const result = new RtcpCompoundParser().parse(bytes, 0, bytes.length, handler);
    expect(result).toEqual({ packets: 2, error: undefined });
    expect(log).toEqual(['SR 5 blocks=1 lost=2 frac=1', 'RR 7 blocks=0']);
  });

  it('round-trips a negative cumulative loss as signed 24 bits', () => {
    const p = PacketBuffer.alloc(64);
    writeRtcpReport(p, sampleSr());
    const { log, handler } = collect(p.payload());
    new RtcpCompoundParser().parse(p.bytes, p.start, p.end, handler);
    expect(log).toEqual(['SR 11223344 blocks=1 lost=-3 frac=64']);
  });
});

describe('RTCP compound packets (RFC 3550 §6.1)', () => {
  function compound(): PacketBuffer {
    const p = PacketBuffer.alloc(0);
    const rr = createRtcpReport();
    rr.ssrc = 0x1234;
    writeRtcpReport(p, rr);
    writeSdesCname(p, 0x1234, new TextEncoder().encode('alice@127.0.0.1'));
    writeNack(p, 0x1234, 42, [65534, 65535, 3, 100]);
    writePli(p, 0x1234, 42);
    writeFir(p, 0x1234, 9, 17);
    writeBye(p, 0x1234, new TextEncoder().encode('hangup'));
    return p;
  }

  it('walks SR/RR, SDES CNAME, NACK, PLI, FIR and BYE written into one growing buffer', () => {
    const p = compound();
    expect(p.length % 4).toBe(0);
    const { log, handler } = collect(p.payload());
    const result = new RtcpCompoundParser().parse(p.bytes, p.start, p.end, handler);
    expect(result).toEqual({ packets: 6, error: undefined });
    expect(log).toEqual([
      'RR 1234 blocks=0',
      'SDES 1234 alice@127.0.0.1',
      'NACK 42 65534,65535,3,100',
      'PLI 4660->42',
      'FIR seq=17',
      'BYE 1234 hangup',
    ]);
  });

  // werift-rtp reads a NACK's FCI to the end of the datagram and does not wrap PID + bit, so it
  // gets its NACK alone and without a wrap.
  it('writes a NACK and a PLI that werift-rtp (an independent implementation) reads', () => {
    const p = PacketBuffer.alloc(0);
    writeNack(p, 0x1234, 42, [10, 11, 26, 27, 500]);
    const [nackPacket] = RtcpPacketConverter.deSerialize(Buffer.from(p.payload()));
    const nack = (nackPacket as RtcpTransportLayerFeedback).feedback as GenericNack;
    expect(nack.lost).toEqual([10, 11, 26, 27, 500]);
    const q = PacketBuffer.alloc(0);
    writePli(q, 0x1234, 42);
    const [pliPacket] = RtcpPacketConverter.deSerialize(Buffer.from(q.payload()));
    const pli = (pliPacket as RtcpPayloadSpecificFeedback).feedback as PictureLossIndication;
    expect([pli.senderSsrc, pli.mediaSsrc]).toEqual([0x1234, 42]);
  });

  it('reads a NACK that werift-rtp writes', () => {
    const bytes = new GenericNack({ senderSsrc: 1, mediaSourceSsrc: 2, lost: [10, 11, 26, 27, 500] }).serialize();
    const { log, handler } = collect(bytes);
    new RtcpCompoundParser().parse(bytes, 0, bytes.length, handler);
    expect(log).toEqual(['NACK 2 10,11,26,27,500']);
  });

  it('packs a PID and up to 16 following losses into one FCI entry (RFC 4585 §6.2.1)', () => {
    const p = PacketBuffer.alloc(64);
    writeNack(p, 1, 2, [100, 101, 116, 117]);
    // PID 100, BLP bits for 101 (bit 0) and 116 (bit 15); 117 needs a second entry.
    expect(Array.from(p.payload().subarray(12))).toEqual([0, 100, 0x80, 0x01, 0, 117, 0, 0]);
  });

  it('parses a hand-made PLI byte for byte (RFC 4585 §6.3.1: PT 206, FMT 1, length 2)', () => {
    const bytes = hex('81ce0002 00000001 00000002');
    const { log, handler } = collect(bytes);
    expect(new RtcpCompoundParser().parse(bytes, 0, bytes.length, handler).error).toBeUndefined();
    expect(log).toEqual(['PLI 1->2']);
  });

  it.each([
    ['a length field past the datagram', '81c90007 00000001', 'length-past-end'],
    ['version 1', '41c90001 00000001', 'bad-version'],
    ['an RR whose RC claims a block it lacks', '81c90001 00000001', 'truncated-body'],
    ['padding on a packet that is not last', 'a0c90002 00000001 00000004 80c90001 00000002', 'bad-padding'],
    ['a padding count of zero', 'a0c90002 00000001 00000000', 'bad-padding'],
    ['an SDES item running past the packet', '81ca0002 00000001 010a6162', 'truncated-body'],
    ['a NACK with a ragged FCI', '81cd0003 00000001 00000002 0001', 'length-past-end'],
  ] as const)('stops at %s with a typed error and keeps what came before', (_name, tail, error) => {
    const good = hex('80c90001 000000aa');
    const bad = hex(tail);
    const bytes = new Uint8Array(good.length + bad.length);
    bytes.set(good);
    bytes.set(bad, good.length);
    const { log, handler } = collect(bytes);
    const result = new RtcpCompoundParser().parse(bytes, 0, bytes.length, handler);
    expect(result.error).toBe(error);
    expect(log[0]).toBe('RR aa blocks=0');
  });

  it('never throws on random or mutated compounds', () => {
    const parser = new RtcpCompoundParser();
    const valid = compound().payload();
    const handler = collect(valid).handler;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }).map((edits) => {
            const m = valid.slice();
            for (const [i, v] of edits) m[i] = v;
            return m;
          }),
        ),
        (bytes) => {
          const r = parser.parse(bytes, 0, bytes.length, handler);
          return r.packets >= 0;
        },
      ),
      { numRuns: 3000 },
    );
  });
});
