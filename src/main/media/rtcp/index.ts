// RTCP (RFC 3550 §6) with feedback (RFC 4585, RFC 5104): parse a compound into reusable structs,
// write each packet kind into a PacketBuffer that grows when it lacks room.
export {
  RTCP_APP,
  RTCP_BYE,
  RTCP_PSFB,
  RTCP_RR,
  RTCP_RTPFB,
  RTCP_SDES,
  RTCP_SR,
  createRtcpPacketView,
  readRtcpPacket,
} from './header';
export type { RtcpPacketView, RtcpParseError } from './header';
export { MAX_REPORT_BLOCKS, REPORT_BLOCK_LENGTH, createReportBlock } from './report-block';
export type { ReportBlock } from './report-block';
export { createRtcpReport, parseRtcpReport, writeRtcpReport } from './reports';
export type { RtcpReport } from './reports';
export { SDES_CNAME, createSdes, parseSdes, writeSdesCname } from './sdes';
export type { Sdes, SdesChunk } from './sdes';
export { createBye, parseBye, writeBye } from './bye';
export type { Bye } from './bye';
export {
  FMT_FIR,
  FMT_NACK,
  FMT_PLI,
  createFeedbackHeader,
  firSequenceFor,
  nackedSequenceNumbers,
  parseFeedback,
  writeFir,
  writeNack,
  writePli,
} from './feedback';
export type { FeedbackHeader } from './feedback';
export { RtcpCompoundParser } from './compound';
export type { RtcpHandler, RtcpParseResult } from './compound';
export { NTP_UNIX_OFFSET_SECONDS, ntpFraction, ntpMiddle32, ntpMiddle32FromParts, ntpSeconds, roundTripTimeUnits } from './ntp';
export { RTCP_MIN_INTERVAL_MS, RtcpReporter, rtcpIntervalMs } from './reporter';
