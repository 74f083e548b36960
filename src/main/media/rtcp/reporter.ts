// Builds our periodic compound report (RFC 3550 §6.1: SR if we sent since the last report, else
// RR; then SDES CNAME) from the sender state and the receiver statistics, and takes the RTT from
// the report blocks the peer sends about us (§6.4.1). The interval follows §6.2/§6.3.1 for a
// two-party call: 5 s (2.5 s for the first report), randomized by [0.5, 1.5].

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import type { RtpReceiverStats } from '../rtp/receiver-stats';
import type { RtpSenderState } from '../rtp/sender-state';
import { roundTripTimeUnits } from './ntp';
import { MAX_REPORT_BLOCKS } from './report-block';
import { createRtcpReport, writeRtcpReport } from './reports';
import type { RtcpReport } from './reports';
import { writeSdesCname } from './sdes';

export const RTCP_MIN_INTERVAL_MS = 5000;

/**
 * Delay until the next report: §6.2's 5 s minimum (halved before the first report, §6.2), times a
 * random factor in [0.5, 1.5] (§6.3.1) so that reports of many senders do not synchronize.
 * `random` returns [0, 1).
 */
export function rtcpIntervalMs(initial: boolean, random: () => number): number {
  const base = initial ? RTCP_MIN_INTERVAL_MS / 2 : RTCP_MIN_INTERVAL_MS;
  return base * (0.5 + random());
}

export class RtcpReporter {
  readonly ssrc: number;
  private readonly cname: Uint8Array;
  private readonly report: RtcpReport = createRtcpReport();
  private packetCountAtLastReport = -1;

  constructor(ssrc: number, cname: Uint8Array) {
    this.ssrc = ssrc >>> 0;
    this.cname = cname;
  }

  /**
   * Appends SR/RR + SDES for `sender` (undefined on a receive-only stream) and up to 31 sources
   * we receive. `ntpSeconds`/`ntpFraction` are the wall clock as an NTP timestamp (§4; unsigned
   * or as `x | 0`), `nowMs` the clock the statistics were fed with: both name the same instant.
   */
  writeCompound(
    p: PacketBuffer,
    sender: RtpSenderState | undefined,
    receivers: readonly RtpReceiverStats[],
    ntpSeconds: number,
    ntpFraction: number,
    nowMs: number,
  ): PacketBufferError | undefined {
    const r = this.report;
    r.ssrc = this.ssrc;
    // §6.4: an SR when we sent RTP since the last report, else an RR.
    r.isSenderReport = sender !== undefined && sender.packetCount !== this.packetCountAtLastReport && sender.packetCount > 0;
    if (sender && r.isSenderReport) {
      r.ntpSeconds = ntpSeconds >>> 0;
      r.ntpFraction = ntpFraction >>> 0;
      r.rtpTimestamp = sender.rtpTimestampAt(nowMs);
      r.packetCount = sender.packetCount;
      r.octetCount = sender.octetCount;
      this.packetCountAtLastReport = sender.packetCount;
    }
    r.reportCount = 0;
    for (let i = 0; i < receivers.length && r.reportCount < MAX_REPORT_BLOCKS; i++) {
      // A source still on probation has nothing to report yet.
      if (receivers[i].expected === 0) continue;
      receivers[i].fillReportBlock(r.reports[r.reportCount++], nowMs);
    }
    return writeRtcpReport(p, r) ?? writeSdesCname(p, this.ssrc | 0, this.cname);
  }

  /**
   * The head of a feedback compound (RFC 4585 §3.1: it starts with a report and carries the
   * CNAME, RFC 3550 §6.1): an RR with no blocks + SDES CNAME. The NACK/PLI/FIR goes after it.
   */
  writeFeedbackHead(p: PacketBuffer): PacketBufferError | undefined {
    const r = this.report;
    r.ssrc = this.ssrc;
    r.isSenderReport = false;
    r.reportCount = 0;
    return writeRtcpReport(p, r) ?? writeSdesCname(p, this.ssrc | 0, this.cname);
  }

  /**
   * RTT from a received SR/RR's block about our SSRC (§6.4.1) in 1/65536 s units, the report
   * arriving at `arrivalNtpMiddle32` (middle 32 bits of the NTP wall clock, unsigned or `| 0`);
   * -1 when the report has no usable block for us. A small integer, so nothing is boxed.
   */
  roundTripTimeUnitsFrom(report: RtcpReport, arrivalNtpMiddle32: number): number {
    for (let i = 0; i < report.reportCount; i++) {
      const b = report.reports[i];
      if (b.ssrc === this.ssrc) return roundTripTimeUnits(arrivalNtpMiddle32, b.lastSenderReport | 0, b.delaySinceLastSenderReport | 0);
    }
    return -1;
  }
}
