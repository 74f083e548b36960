import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createReportBlock } from '../rtcp/report-block';
import { RtpReceiverStats } from './receiver-stats';

function feed(stats: RtpReceiverStats, seqs: number[], tsStep = 160, msStep = 20): void {
  seqs.forEach((seq, i) => stats.onPacket(seq & 0xffff, ((seq - seqs[0]) * tsStep) >>> 0, i * msStep));
}

describe('RtpReceiverStats (RFC 3550 A.1, A.3, A.8)', () => {
  it('needs MIN_SEQUENTIAL packets in order before a source is valid (A.1 probation)', () => {
    const s = new RtpReceiverStats(1, 8000);
    expect(s.onPacket(100, 0, 0)).toBe('probation');
    expect(s.onPacket(101, 160, 20)).toBe('valid');
    expect(s.onPacket(102, 320, 40)).toBe('valid');
    expect([s.received, s.expected, s.cumulativeLost]).toEqual([2, 2, 0]);
  });

  it('counts losses and the fraction lost per interval (A.3)', () => {
    const s = new RtpReceiverStats(7, 8000);
    // 10..29 with 13, 14, 20 and 25 missing: 20 expected from 10, but base is 11 after probation.
    const seqs = Array.from({ length: 20 }, (_, i) => 10 + i).filter((q) => ![13, 14, 20, 25].includes(q));
    feed(s, seqs);
    const block = createReportBlock();
    s.fillReportBlock(block, 1000);
    expect(block.ssrc).toBe(7);
    expect(block.cumulativeLost).toBe(4);
    expect(block.extendedHighestSequence).toBe(29);
    // 19 expected (11..29), 15 received: 4/19 of 256 = 53.
    expect(block.fractionLost).toBe(Math.floor((4 * 256) / 19));
    // A second report with no loss in between says 0, cumulative stays.
    feed(s, [30, 31, 32].map((q) => q));
    s.fillReportBlock(block, 2000);
    expect(block.fractionLost).toBe(0);
    expect(block.cumulativeLost).toBe(4);
  });

  it('extends the highest sequence number across the wrap', () => {
    const s = new RtpReceiverStats(1, 8000);
    feed(s, [65533, 65534, 65535, 65536, 65537]);
    expect(s.extendedHighestSequence).toBe(65536 + 1);
    expect(s.cumulativeLost).toBe(0);
  });

  it('treats a big jump as bad until two sequential packets confirm a restart', () => {
    const s = new RtpReceiverStats(1, 8000);
    feed(s, [1, 2, 3]);
    expect(s.onPacket(40000, 0, 100)).toBe('bad-jump');
    expect(s.onPacket(40001, 160, 120)).toBe('valid');
    expect(s.baseSeq).toBe(40001);
    expect(s.onPacket(40002, 320, 140)).toBe('valid');
    expect(s.cumulativeLost).toBe(0);
  });

  it('measures zero jitter for perfectly paced packets and J/16 convergence for alternating delay (A.8)', () => {
    const s = new RtpReceiverStats(1, 8000);
    feed(s, Array.from({ length: 50 }, (_, i) => i));
    expect(s.jitter).toBe(0);
    const t = new RtpReceiverStats(1, 8000);
    // Every other packet 10 ms late: |D| = 80 ticks each time, J converges towards 80.
    for (let i = 0; i < 400; i++) t.onPacket(i, i * 160, i * 20 + (i % 2) * 10);
    expect(t.jitter).toBeGreaterThan(79);
    expect(t.jitter).toBeLessThanOrEqual(80);
  });

  it('keeps jitter right across an RTP timestamp wrap', () => {
    const s = new RtpReceiverStats(1, 8000);
    const base = 0xffffff00;
    for (let i = 0; i < 20; i++) s.onPacket(i, (base + i * 160) >>> 0, i * 20);
    expect(s.jitter).toBe(0);
  });

  it('echoes LSR and the delay since that SR in 1/65536 s (§6.4.1)', () => {
    const s = new RtpReceiverStats(1, 8000);
    feed(s, [1, 2]);
    s.onSenderReport(0x12345678, 1000);
    const block = createReportBlock();
    s.fillReportBlock(block, 1500);
    expect(block.lastSenderReport).toBe(0x12345678);
    expect(block.delaySinceLastSenderReport).toBe(32768);
  });

  it('never reports a negative fraction or out-of-range fields for arbitrary arrival orders', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 }), (seqs) => {
        const s = new RtpReceiverStats(1, 90000);
        seqs.forEach((q, i) => s.onPacket(q, q * 3000, i * 33));
        const b = createReportBlock();
        s.fillReportBlock(b, 10_000);
        return (
          b.fractionLost >= 0 &&
          b.fractionLost <= 255 &&
          b.cumulativeLost >= -0x800000 &&
          b.cumulativeLost <= 0x7fffff &&
          Number.isFinite(b.jitter)
        );
      }),
    );
  });
});
