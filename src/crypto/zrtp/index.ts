// Public surface of the ZRTP engine (RFC 6189).
export { ZrtpEngine, ZRTP_VERSION } from './engine';
export type { ZrtpEngineOptions, ZrtpState, MultistreamParent } from './engine';
export type { ZrtpEvent, ZrtpOutput, ZrtpSecure, ZrtpRole } from './session-events';
export { MemoryZrtpCache } from './cache';
export type { ZrtpCache, ZrtpCacheEntry } from './cache';
export { DEFAULT_PREFERENCES, SUPPORTED, ERROR as ZRTP_ERROR } from './algorithms';
export type { AlgorithmPreferences, AuthTagName, CipherName, HashName, KeyAgreementName, SasTypeName } from './algorithms';
export type { SrtpMasterKey } from './kdf';
export { looksLikeZrtp } from './packet';
