// RTP (RFC 3550): header codec, sender state, receiver statistics, NACK send history.
export {
  RTP_FIXED_HEADER_LENGTH,
  RTP_MAX_CSRC,
  RTP_VERSION,
  appendRtpHeaderExtension,
  appendRtpPadding,
  createRtpHeader,
  parseRtpHeader,
  rtpHeaderLength,
  writeRtpHeader,
} from './header';
export type { RtpHeader, RtpHeaderFields, RtpParseError } from './header';
export { RtpSenderState } from './sender-state';
export type { RtpSenderOptions } from './sender-state';
export { MIN_SEQUENTIAL, RtpReceiverStats } from './receiver-stats';
export type { SequenceVerdict } from './receiver-stats';
export { RtpSendHistory } from './send-history';
export type { RtpSendHistoryOptions } from './send-history';
export { appendBytes, copyBytes, readU16, readU24, readU32, writeU16, writeU24, writeU32 } from './bytes';
