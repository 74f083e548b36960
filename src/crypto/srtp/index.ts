// Public surface of SRTP/SRTCP (RFC 3711, RFC 6188, RFC 7714).
export { SrtpSession, type SrtpSessionOptions } from './session';
export { SrtpErrors, type SrtpError, type SrtpErrorKind } from './errors';
export {
  protectionProfile,
  protectionProfileByName,
  suiteForZrtp,
  SRTP_SUITES,
  SRTCP_INDEX_LENGTH,
  ZRTP_SUITE_NAMES,
  type ProtectionProfile,
  type SrtpSuiteName,
  type ZrtpAuthTagType,
  type ZrtpCipherType,
} from './protection-profile';
export type { AesCmCipher, AesGcmCipher, HmacSha1, SrtpPrimitives } from './primitives';
export { portablePrimitives } from './portable';
export { deriveSessionKey, deriveSessionKeys, KdfLabel, type SessionKeys } from './key-derivation';
export { DEFAULT_REPLAY_WINDOW, ReplayWindow } from './replay-window';
export { estimateIndex } from './roc';
export { encryptAesBlock, expandAesKey } from './aes-block';
export { hmacPadState, sha1, sha1Compress } from './hmac-sha1';
export { indexWord2, indexWord3, saltWords } from './aes-cm';
export { bswap32, int32View } from './word-view';
