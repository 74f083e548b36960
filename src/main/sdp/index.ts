// SDP (RFC 8866) and offer/answer (RFC 3264) for Vouch calls: audio + video, a=zrtp-hash
// (RFC 6189 §8.1), a=crypto (RFC 4568). Parsers never throw; they return typed errors.
export { parseSdp } from './parse';
export { serializeSdp } from './serialize';
export { parseAttribute, formatAttribute } from './attributes';
export { parseCrypto, formatCrypto, decodeCryptoKey, cryptoAttribute } from './crypto-attribute';
export type { CryptoAttribute, SdesKeyMaterial } from './crypto-attribute';
export { SDES_SUITES, sdesSuite } from './crypto-suites';
export type { SdesSuiteName, SdesSuite } from './crypto-suites';
export { parseZrtpHash, formatZrtpHash, sameZrtpHash } from './zrtp-hash';
export type { ZrtpHashAttribute } from './zrtp-hash';
export {
  OPUS,
  PCMU,
  PCMA,
  TELEPHONE_EVENT_8000,
  TELEPHONE_EVENT_48000,
  VP8,
  DEFAULT_AUDIO_CODECS,
  DEFAULT_VIDEO_CODECS,
  sameCodec,
  isTelephoneEvent,
} from './codecs';
export type { CodecSpec } from './codecs';
export {
  payloadFormats,
  mediaDirection,
  mediaConnection,
  hasRtcpMux,
  rtcpAddress,
  zrtpHashes,
  hasMalformedZrtpHash,
  cryptoLines,
  mentionsCrypto,
  isSecureProfile,
  isRtpProfile,
} from './media-view';
export type { PayloadFormat, RtcpFeedback } from './media-view';
export { combineDirection } from './direction';
export { holdDirection, resumeDirection, withHold } from './local-config';
export type { LocalMediaConfig, LocalStreamConfig, LocalStreamSecurity, SdesKey } from './local-config';
export { createOfferAnswer, createOffer, processAnswer, answerOffer, rollbackOffer } from './offer-answer';
export type { OfferAnswerState, OfferAnswerPhase, OfferAnswerError, OfferAnswerErrorCode, SessionOptions } from './offer-answer';
export type { ActiveStream, ClosedStream, NegotiatedStream } from './negotiated';
export type { SdpError, SdpErrorCode, Result } from './errors';
export { MAX_SDP_LENGTH, MAX_LINE_LENGTH, MAX_MEDIA_DESCRIPTIONS } from './limits';
export type {
  SessionDescription,
  MediaDescription,
  Attribute,
  AttributeKind,
  Connection,
  Origin,
  Direction,
  MediaProto,
  CryptoKeyParam,
  AddressType,
  Bandwidth,
  Timing,
} from './types';
export * from './ice';
