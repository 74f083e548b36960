// Public surface of the ZRTP engine (RFC 6189). The media worker creates one ZrtpEngine per
// media stream when it prepares the offer/answer (its helloHash() goes into a=zrtp-hash), hands
// it the peer's a=zrtp-hash (setPeerHelloHash), calls start(now), feeds every ZRTP datagram to
// input(packet, now) and calls tick(now) at nextDeadline; it sends the returned packets and acts
// on the events ('secure' carries the SRTP master keys per direction, cipher and auth tag for
// srtp's suiteForZrtp). Further streams of the call: setMultistreamParent(first.multistreamParent()).
// Its curves and Confirm cipher are given (options.primitives): portableZrtpPrimitives anywhere,
// the worker's node:crypto ones in the media worker.
export { ZrtpEngine, ZRTP_VERSION, makeKeyPair } from './engine';
export type { ZrtpEngineOptions, ZrtpState, MultistreamParent } from './engine';
export type { ZrtpEvent, ZrtpOutput, ZrtpSecure, ZrtpRole } from './session-events';
export { MemoryZrtpCache } from './cache';
export type { ZrtpCache, ZrtpCacheEntry } from './cache';
export { DEFAULT_PREFERENCES, SUPPORTED, ERROR as ZRTP_ERROR } from './algorithms';
export type { AlgorithmPreferences, AuthTagName, CipherName, HashName, KeyAgreementName, SasTypeName } from './algorithms';
export type { SrtpMasterKey } from './kdf';
export { looksLikeZrtp, messageTypeOf } from './packet';
export { cacheExpirationFor } from './confirm';
export type { DhCurve, ZrtpPrimitives } from './primitives';
export { portableZrtpPrimitives } from './portable';
