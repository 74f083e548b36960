import { describe, it, expect } from 'vitest';
import { PacketBuffer } from '../../../crypto/packet-buffer';
import { RtpReceiverStats } from '../rtp/receiver-stats';
import { RtpSenderState } from '../rtp/sender-state';
import { RtcpCompoundParser } from './compound';
import { ntpFraction, ntpMiddle32, ntpMiddle32FromParts, ntpSeconds } from './ntp';
import { RtcpReporter, rtcpIntervalMs } from './reporter';
import type { RtcpReport } from './reports';

function parse(p: PacketBuffer): { reports: RtcpReport[]; cnames: string[] } {
  const reports: RtcpReport[] = [];
  const cnames: string[] = [];
  new RtcpCompoundParser().parse(p.bytes, p.start, p.end, {
    onReport: (r) => reports.push(structuredClone({ ...r, reports: r.reports.slice(0, r.reportCount) })),
    onSdes: (s, b) => cnames.push(new TextDecoder().decode(b.subarray(s.chunks[0].cnameStart, s.chunks[0].cnameEnd))),
  });
  return { reports, cnames };
}

describe('RtcpReporter', () => {
  it('sends an SR while sending and an RR once idle, each followed by SDES CNAME', () => {
    const alice = new RtcpReporter(0xa, new TextEncoder().encode('alice@127.0.0.1'));
    const sender = new RtpSenderState({ ssrc: 0xa, clockRate: 8000, initialSequenceNumber: 1, initialTimestamp: 100 });
    const fromBob = new RtpReceiverStats(0xb, 8000);
    for (let i = 0; i < 10; i++) {
      sender.onPacketSent(160, sender.rtpTimestamp(i * 160), i * 20);
      fromBob.onPacket(i, i * 160, i * 20);
    }
    const p = PacketBuffer.alloc(0);
    alice.writeCompound(p, sender, [fromBob], ntpSeconds(1_700_000_000_000), ntpFraction(1_700_000_000_000), 200);
    const first = parse(p);
    expect(first.cnames).toEqual(['alice@127.0.0.1']);
    expect(first.reports[0]).toMatchObject({ isSenderReport: true, ssrc: 0xa, packetCount: 10, octetCount: 1600, rtpTimestamp: 100 + 9 * 160 + 160 });
    expect(first.reports[0].reports).toHaveLength(1);
    expect(first.reports[0].reports[0]).toMatchObject({ ssrc: 0xb, cumulativeLost: 0, extendedHighestSequence: 9 });
    p.reset();
    alice.writeCompound(p, sender, [fromBob], ntpSeconds(1_700_000_005_000), ntpFraction(1_700_000_005_000), 5200);
    expect(parse(p).reports[0].isSenderReport).toBe(false);
  });

  it('starts a feedback compound with an empty RR and the CNAME (RFC 4585 §3.1)', () => {
    const alice = new RtcpReporter(0xfffffffa, new TextEncoder().encode('alice@127.0.0.1'));
    const p = PacketBuffer.alloc(0);
    alice.writeFeedbackHead(p);
    const { reports, cnames } = parse(p);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ isSenderReport: false, ssrc: 0xfffffffa, reportCount: 0 });
    expect(cnames).toEqual(['alice@127.0.0.1']);
  });

  it('measures the RTT from the peer echoing our SR (RFC 3550 §6.4.1)', () => {
    const alice = new RtcpReporter(0xa, new TextEncoder().encode('a'));
    const bob = new RtcpReporter(0xb, new TextEncoder().encode('b'));
    const aliceSender = new RtpSenderState({ ssrc: 0xa, clockRate: 8000, initialSequenceNumber: 1, initialTimestamp: 0 });
    aliceSender.onPacketSent(160, 0, 0);
    const bobFromAlice = new RtpReceiverStats(0xa, 8000);
    bobFromAlice.onPacket(1, 0, 0);
    bobFromAlice.onPacket(2, 160, 20);
    // Alice's SR leaves at t0 and reaches Bob 30 ms later; Bob holds it 200 ms; 30 ms back.
    const t0 = 1_700_000_000_000;
    const sr = PacketBuffer.alloc(0);
    alice.writeCompound(sr, aliceSender, [], ntpSeconds(t0), ntpFraction(t0), 0);
    const srReport = parse(sr).reports[0];
    bobFromAlice.onSenderReport(ntpMiddle32FromParts(srReport.ntpSeconds, srReport.ntpFraction), 30);
    const rr = PacketBuffer.alloc(0);
    bob.writeCompound(rr, undefined, [bobFromAlice], ntpSeconds(t0 + 230), ntpFraction(t0 + 230), 230);
    const rrReport = parse(rr).reports[0];
    expect(rrReport.isSenderReport).toBe(false);
    const rtt = alice.roundTripTimeUnitsFrom(rrReport, ntpMiddle32(t0 + 260));
    expect(rtt).toBeGreaterThan(0);
    expect(Math.abs(rtt / 65536 - 0.06)).toBeLessThan(0.001);
    // The signed pattern of the arrival time gives the same answer.
    expect(alice.roundTripTimeUnitsFrom(rrReport, ntpMiddle32(t0 + 260) | 0)).toBe(rtt);
    expect(bob.roundTripTimeUnitsFrom(rrReport, ntpMiddle32(t0 + 260))).toBe(-1);
  });

  it('spaces reports 5 s apart times [0.5, 1.5], the first at half that (§6.2, §6.3.1)', () => {
    expect(rtcpIntervalMs(false, () => 0)).toBe(2500);
    expect(rtcpIntervalMs(false, () => 0.999)).toBeCloseTo(7495);
    expect(rtcpIntervalMs(true, () => 0.5)).toBe(2500);
  });
});
