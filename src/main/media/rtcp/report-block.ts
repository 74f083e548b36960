// Reception report block of SR and RR (RFC 3550 §6.4.1): 24 octets per reported source.

import { readU24, readU32, writeU24, writeU32 } from '../rtp/bytes';

export const REPORT_BLOCK_LENGTH = 24;
/** RC is 5 bits (RFC 3550 §6.4.1). */
export const MAX_REPORT_BLOCKS = 31;

export interface ReportBlock {
  ssrc: number;
  /** Fraction of packets lost since the previous report, as a fixed point number /256. */
  fractionLost: number;
  /** Cumulative packets lost, signed 24 bits (duplicates can make it negative). */
  cumulativeLost: number;
  extendedHighestSequence: number;
  /** Interarrival jitter in timestamp units (§6.4.1, A.8). */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received from this source, 0 if none. */
  lastSenderReport: number;
  /** Delay since that SR in units of 1/65536 seconds. */
  delaySinceLastSenderReport: number;
}

export function createReportBlock(): ReportBlock {
  return {
    ssrc: 0,
    fractionLost: 0,
    cumulativeLost: 0,
    extendedHighestSequence: 0,
    jitter: 0,
    lastSenderReport: 0,
    delaySinceLastSenderReport: 0,
  };
}

/** Reads a block at `i`; the caller has checked that 24 bytes are there. */
export function readReportBlock(b: Uint8Array, i: number, out: ReportBlock): void {
  out.ssrc = readU32(b, i);
  out.fractionLost = b[i + 4];
  const lost = readU24(b, i + 5);
  out.cumulativeLost = lost & 0x800000 ? lost - 0x1000000 : lost;
  out.extendedHighestSequence = readU32(b, i + 8);
  out.jitter = readU32(b, i + 12);
  out.lastSenderReport = readU32(b, i + 16);
  out.delaySinceLastSenderReport = readU32(b, i + 20);
}

/** Writes a block at `i`; the caller has made room for 24 bytes. */
export function writeReportBlock(b: Uint8Array, i: number, r: ReportBlock): void {
  writeU32(b, i, r.ssrc | 0);
  b[i + 4] = r.fractionLost;
  // Clamp to the signed 24-bit range rather than wrap (RFC 3550 A.3).
  const lost = Math.max(-0x800000, Math.min(0x7fffff, Math.trunc(r.cumulativeLost)));
  writeU24(b, i + 5, lost & 0xffffff);
  writeU32(b, i + 8, r.extendedHighestSequence | 0);
  writeU32(b, i + 12, r.jitter | 0);
  writeU32(b, i + 16, r.lastSenderReport | 0);
  writeU32(b, i + 20, r.delaySinceLastSenderReport | 0);
}
