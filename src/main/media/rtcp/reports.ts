// Sender and receiver reports (RFC 3550 §6.4.1, §6.4.2).

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import { readU32, writeU32 } from '../rtp/bytes';
import { beginRtcpPacket, finishRtcpPacket, RTCP_HEADER_LENGTH, RTCP_RR, RTCP_SR } from './header';
import type { RtcpPacketView, RtcpParseError } from './header';
import {
  createReportBlock,
  MAX_REPORT_BLOCKS,
  readReportBlock,
  REPORT_BLOCK_LENGTH,
  writeReportBlock,
} from './report-block';
import type { ReportBlock } from './report-block';

/** Sender info of an SR (§6.4.1), 20 octets after the SSRC. */
const SENDER_INFO_LENGTH = 20;

/** An SR, or an RR when `isSenderReport` is false (the sender info is then unused). */
export interface RtcpReport {
  isSenderReport: boolean;
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reportCount: number;
  /** Preallocated; the first `reportCount` are valid. */
  readonly reports: ReportBlock[];
}

export function createRtcpReport(): RtcpReport {
  return {
    isSenderReport: false,
    ssrc: 0,
    ntpSeconds: 0,
    ntpFraction: 0,
    rtpTimestamp: 0,
    packetCount: 0,
    octetCount: 0,
    reportCount: 0,
    reports: Array.from({ length: MAX_REPORT_BLOCKS }, createReportBlock),
  };
}

/** Parses an SR or RR whose header `view` has read. */
export function parseRtcpReport(bytes: Uint8Array, view: RtcpPacketView, out: RtcpReport): RtcpParseError | undefined {
  const isSr = view.packetType === RTCP_SR;
  let pos = view.start + RTCP_HEADER_LENGTH;
  const fixed = 4 + (isSr ? SENDER_INFO_LENGTH : 0);
  if (pos + fixed + view.count * REPORT_BLOCK_LENGTH > view.bodyEnd) return 'truncated-body';
  out.isSenderReport = isSr;
  out.ssrc = readU32(bytes, pos);
  pos += 4;
  if (isSr) {
    out.ntpSeconds = readU32(bytes, pos);
    out.ntpFraction = readU32(bytes, pos + 4);
    out.rtpTimestamp = readU32(bytes, pos + 8);
    out.packetCount = readU32(bytes, pos + 12);
    out.octetCount = readU32(bytes, pos + 16);
    pos += SENDER_INFO_LENGTH;
  }
  out.reportCount = view.count;
  for (let i = 0; i < view.count; i++, pos += REPORT_BLOCK_LENGTH) readReportBlock(bytes, pos, out.reports[i]);
  return undefined;
}

/** Appends an SR (or an RR when `r.isSenderReport` is false) with `r.reportCount` blocks. */
export function writeRtcpReport(p: PacketBuffer, r: RtcpReport): PacketBufferError | undefined {
  const count = Math.min(r.reportCount, MAX_REPORT_BLOCKS);
  const bodyLength = 4 + (r.isSenderReport ? SENDER_INFO_LENGTH : 0) + count * REPORT_BLOCK_LENGTH;
  const err = beginRtcpPacket(p, count, r.isSenderReport ? RTCP_SR : RTCP_RR, bodyLength);
  if (err) return err;
  const start = p.end;
  const b = p.bytes;
  let pos = start + RTCP_HEADER_LENGTH;
  writeU32(b, pos, r.ssrc | 0);
  pos += 4;
  if (r.isSenderReport) {
    writeU32(b, pos, r.ntpSeconds | 0);
    writeU32(b, pos + 4, r.ntpFraction | 0);
    writeU32(b, pos + 8, r.rtpTimestamp | 0);
    writeU32(b, pos + 12, r.packetCount | 0);
    writeU32(b, pos + 16, r.octetCount | 0);
    pos += SENDER_INFO_LENGTH;
  }
  for (let i = 0; i < count; i++, pos += REPORT_BLOCK_LENGTH) writeReportBlock(b, pos, r.reports[i]);
  p.end = pos;
  finishRtcpPacket(p, start);
  return undefined;
}
