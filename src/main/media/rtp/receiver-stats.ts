// Receiver statistics for one remote SSRC: sequence validation with probation (RFC 3550 A.1),
// loss (A.3), interarrival jitter (§6.4.1, A.8) and the LSR/DLSR echo for the peer's RTT.

import type { ReportBlock } from '../rtcp/report-block';

const RTP_SEQ_MOD = 0x10000;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
/** RFC 3550 A.1: packets in sequence before a source is valid. */
export const MIN_SEQUENTIAL = 2;

/** What `onPacket` made of a packet. */
export type SequenceVerdict = 'valid' | 'probation' | 'bad-jump';

/**
 * Public fields: RFC 3550 A.1's per-source state variables under the appendix's own names, which
 * the tests check against it; hence more than fifteen members, most of them plain numbers.
 */
export class RtpReceiverStats {
  readonly ssrc: number;
  readonly clockRate: number;
  /** Highest sequence number seen (16 bits). */
  maxSeq = 0;
  /** Sequence number wraps, times 2^16 (A.1's `cycles`). */
  cycles = 0;
  baseSeq = 0;
  badSeq = RTP_SEQ_MOD + 1;
  probation: number;
  received = 0;
  expectedPrior = 0;
  receivedPrior = 0;
  /** A.8's estimate, kept as a float; reports carry its integer part. */
  jitter = 0;
  private lastTransit = 0;
  private haveTransit = false;
  /** LSR to echo (middle 32 bits of the last SR's NTP time) and when that SR arrived. */
  lastSenderReport = 0;
  lastSenderReportArrivalMs = 0;
  private started = false;

  constructor(ssrc: number, clockRate: number, minSequential = MIN_SEQUENTIAL) {
    this.ssrc = ssrc >>> 0;
    this.clockRate = clockRate;
    this.probation = minSequential;
  }

  /** Extended highest sequence number received (A.3). */
  get extendedHighestSequence(): number {
    return (this.cycles + this.maxSeq) >>> 0;
  }

  /** Packets expected since the source became valid (0 while still on probation). */
  get expected(): number {
    if (!this.started || this.probation > 0) return 0;
    return this.cycles + this.maxSeq - this.baseSeq + 1;
  }

  get cumulativeLost(): number {
    return this.expected - this.received;
  }

  /**
   * Accounts for a packet that arrived at `arrivalMs` (any monotonic millisecond clock). Jitter
   * is updated only for packets the sequence check accepts. The RTP timestamp may be given
   * unsigned or as its signed 32-bit pattern (`ts | 0`, which the media worker passes unboxed).
   */
  onPacket(sequenceNumber: number, rtpTimestamp: number, arrivalMs: number): SequenceVerdict {
    const seq = sequenceNumber & 0xffff;
    if (!this.started) {
      this.started = true;
      this.initSeq(seq);
      this.maxSeq = (seq - 1) & 0xffff;
    }
    const verdict = this.updateSeq(seq);
    if (verdict === 'valid') this.updateJitter(rtpTimestamp, arrivalMs);
    return verdict;
  }

  /** Records an SR from this source for the LSR/DLSR of our next report (§6.4.1). */
  onSenderReport(ntpMiddle32: number, arrivalMs: number): void {
    this.lastSenderReport = ntpMiddle32 >>> 0;
    this.lastSenderReportArrivalMs = arrivalMs;
  }

  /**
   * Fills a report block for a report sent at `nowMs` and starts a new reporting interval
   * (fraction lost is per interval, A.3).
   */
  fillReportBlock(out: ReportBlock, nowMs: number): void {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    this.expectedPrior = expected;
    const receivedInterval = this.received - this.receivedPrior;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    out.ssrc = this.ssrc;
    // 8 bits: a whole interval lost would be 256, which the field cannot hold.
    out.fractionLost =
      expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.min(255, Math.floor((lostInterval * 256) / expectedInterval));
    out.cumulativeLost = Math.max(-0x800000, Math.min(0x7fffff, expected - this.received));
    out.extendedHighestSequence = this.extendedHighestSequence;
    out.jitter = Math.floor(this.jitter) >>> 0;
    out.lastSenderReport = this.lastSenderReport;
    out.delaySinceLastSenderReport =
      this.lastSenderReport === 0 ? 0 : Math.max(0, Math.round(((nowMs - this.lastSenderReportArrivalMs) * 65536) / 1000)) >>> 0;
  }

  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  // RFC 3550 A.1 update_seq, line by line.
  private updateSeq(seq: number): SequenceVerdict {
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (this.probation > 0) {
      if (seq === ((this.maxSeq + 1) & 0xffff)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSeq(seq);
          this.received++;
          return 'valid';
        }
      } else {
        this.probation = MIN_SEQUENTIAL - 1;
        this.maxSeq = seq;
      }
      return 'probation';
    } else if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      if (seq === this.badSeq) {
        // Two sequential packets after a big jump: the source restarted; resync.
        this.initSeq(seq);
        this.haveTransit = false;
      } else {
        this.badSeq = (seq + 1) & 0xffff;
        return 'bad-jump';
      }
    }
    // else: duplicate or reordered packet, counted as received (A.3 lets lost go negative).
    this.received++;
    return 'valid';
  }

  // RFC 3550 A.8: J += (|D| - J) / 16, D from transit times in timestamp units.
  private updateJitter(rtpTimestamp: number, arrivalMs: number): void {
    const arrival = (arrivalMs * this.clockRate) / 1000;
    const transit = arrival - (rtpTimestamp >>> 0);
    if (this.haveTransit) {
      let d = transit - this.lastTransit;
      // The RTP timestamp wraps at 2^32: bring the difference back into range.
      if (d > 0x80000000) d -= 0x100000000;
      else if (d < -0x80000000) d += 0x100000000;
      this.jitter += (Math.abs(d) - this.jitter) / 16;
    }
    this.lastTransit = transit;
    this.haveTransit = true;
  }
}
