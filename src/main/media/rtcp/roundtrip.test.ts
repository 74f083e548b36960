import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { PacketBuffer } from '../../../crypto/packet-buffer';
import { writeBye } from './bye';
import { RtcpCompoundParser } from './compound';
import { firSequenceFor, nackedSequenceNumbers, writeFir, writeNack } from './feedback';
import { createRtcpReport, writeRtcpReport } from './reports';
import type { RtcpReport } from './reports';
import { writeSdesCname } from './sdes';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const block = fc.record({
  ssrc: u32,
  fractionLost: fc.integer({ min: 0, max: 255 }),
  cumulativeLost: fc.integer({ min: -0x800000, max: 0x7fffff }),
  extendedHighestSequence: u32,
  jitter: u32,
  lastSenderReport: u32,
  delaySinceLastSenderReport: u32,
});

describe('RTCP round trips (property)', () => {
  it('SR and RR with 0-31 report blocks parse back to what was written', () => {
    const parser = new RtcpCompoundParser();
    fc.assert(
      fc.property(
        fc.record({
          isSenderReport: fc.boolean(),
          ssrc: u32,
          ntpSeconds: u32,
          ntpFraction: u32,
          rtpTimestamp: u32,
          packetCount: u32,
          octetCount: u32,
          blocks: fc.array(block, { maxLength: 31 }),
        }),
        (r) => {
          const report = createRtcpReport();
          Object.assign(report, { ...r, reports: report.reports, reportCount: r.blocks.length });
          r.blocks.forEach((b, i) => Object.assign(report.reports[i], b));
          const p = PacketBuffer.alloc(0);
          expect(writeRtcpReport(p, report)).toBeUndefined();
          let back: RtcpReport | undefined;
          const result = parser.parse(p.bytes, p.start, p.end, {
            onReport: (x) => (back = structuredClone({ ...x, reports: x.reports.slice(0, x.reportCount) })),
          });
          expect(result).toEqual({ packets: 1, error: undefined });
          expect(back!.isSenderReport).toBe(r.isSenderReport);
          expect(back!.ssrc).toBe(r.ssrc);
          if (r.isSenderReport) {
            expect([back!.ntpSeconds, back!.ntpFraction, back!.rtpTimestamp, back!.packetCount, back!.octetCount]).toEqual([
              r.ntpSeconds,
              r.ntpFraction,
              r.rtpTimestamp,
              r.packetCount,
              r.octetCount,
            ]);
          }
          expect(back!.reports).toEqual(r.blocks);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a NACK carries exactly the lost sequence numbers, across the 16-bit wrap', () => {
    const parser = new RtcpCompoundParser();
    const out = new Uint16Array(1024);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 100 }), (base, offsets) => {
        const lost = offsets.sort((a, b) => a - b).map((o) => (base + o) & 0xffff);
        const p = PacketBuffer.alloc(0);
        writeNack(p, 1, 2, lost);
        let got: number[] = [];
        const result = parser.parse(p.bytes, p.start, p.end, {
          onNack: (fb, bytes) => (got = Array.from(out.subarray(0, nackedSequenceNumbers(bytes, fb, out)))),
        });
        expect(result.error).toBeUndefined();
        expect(got).toEqual(lost);
      }),
      { numRuns: 300 },
    );
  });

  it('SDES CNAME, BYE reason and FIR sequence survive a compound round trip', () => {
    const parser = new RtcpCompoundParser();
    const decoder = new TextDecoder();
    fc.assert(
      fc.property(u32, fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), fc.integer({ min: 0, max: 255 }), (ssrc, cname, reason, firSeq) => {
        const p = PacketBuffer.alloc(0);
        writeSdesCname(p, ssrc, new TextEncoder().encode(cname));
        writeFir(p, 1, ssrc, firSeq);
        writeBye(p, ssrc, new TextEncoder().encode(reason));
        const seen: unknown[] = [];
        const result = parser.parse(p.bytes, p.start, p.end, {
          onSdes: (s, b) => seen.push(s.chunks[0].ssrc, decoder.decode(b.subarray(s.chunks[0].cnameStart, s.chunks[0].cnameEnd))),
          onFir: (fb, b) => seen.push(firSequenceFor(b, fb, ssrc)),
          onBye: (y, b) => seen.push(y.sources[0], decoder.decode(b.subarray(y.reasonStart, y.reasonEnd))),
        });
        expect(result).toEqual({ packets: 3, error: undefined });
        expect(seen).toEqual([ssrc, cname, firSeq, ssrc, reason]);
      }),
      { numRuns: 300 },
    );
  });
});
