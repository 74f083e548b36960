// Builds our periodic compound report (RFC 3550 §6.1: SR if we sent since the last report, else
// RR; then SDES CNAME) from the sender state and the receiver statistics, and takes the RTT from
// the report blocks the peer sends about us (§6.4.1). The interval follows §6.2/§6.3.1 for a
// two-party call: 5 s (2.5 s for the first report), randomized by [0.5, 1.5].

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import type { RtpReceiverStats } from '../rtp/receiver-stats';
import type { RtpSenderState } from '../rtp/sender-state';
import { ntpFraction, ntpMiddle32, ntpSeconds, roundTripTime } from './ntp';
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
   * we receive. `unixMs` is the wall clock for the NTP timestamp, `nowMs` the clock the
   * statistics were fed with.
   */
  writeCompound(
    p: PacketBuffer,
    sender: RtpSenderState | undefined,
    receivers: readonly RtpReceiverStats[],
    unixMs: number,
    nowMs: number,
  ): PacketBufferError | undefined {
    const r = this.report;
    r.ssrc = this.ssrc;
    r.isSenderReport = sender !== undefined && sender.packetCount !== this.packetCountAtLastReport && sender.packetCount > 0;
    if (sender && r.isSenderReport) {
      r.ntpSeconds = ntpSeconds(unixMs);
      r.ntpFraction = ntpFraction(unixMs);
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
    return writeRtcpReport(p, r) ?? writeSdesCname(p, this.ssrc, this.cname);
  }

  /**
   * RTT in seconds from a received SR/RR's block about our SSRC, at wall clock `arrivalUnixMs`;
   * undefined when the report has no usable block for us.
   */
  roundTripTimeFrom(report: RtcpReport, arrivalUnixMs: number): number | undefined {
    for (let i = 0; i < report.reportCount; i++) {
      const b = report.reports[i];
      if (b.ssrc === this.ssrc) return roundTripTime(ntpMiddle32(arrivalUnixMs), b.lastSenderReport, b.delaySinceLastSenderReport);
    }
    return undefined;
  }
}
