// The ZRTP key schedule (RFC 6189 §4.3, §4.4.1.4, §4.4.3.2, §4.6, §5.7) as pure functions: the
// engine hands in what it has received and holds, and gets keys, Confirm messages, the secure
// event and the cache update back. Nothing here keeps state; the engine decides what to store and
// when to wipe it.
import { concatBytes } from './bytes';
import { encodeConfirmWire, encodeDHPart } from './messages';
import type { DHPart } from './messages';
import { cipherKeyLength } from './algorithms';
import type { AuthTagName, CipherName, HashName, HashSuite, NegotiatedAlgorithms, SasTypeName } from './algorithms';
import type { HashChain } from './hash-chain';
import { kdfContext, s0Dh, s0Multistream, sessionKeysFromS0, totalHash } from './kdf';
import type { SessionKeys } from './kdf';
import { CACHE_FOREVER, sealConfirm } from './confirm';
import type { ConfirmBody } from './confirm';
import { matchSharedSecrets, ownSecretIds } from './shared-secrets';
import type { OwnSecrets } from './shared-secrets';
import type { ZrtpCacheEntry } from './cache';
import { renderSas } from './sas';
import type { ZrtpRole, ZrtpSecure } from './session-events';
import type { ZrtpPrimitives } from './primitives';

/** What a multistream session takes from the first (DH) session of the call (§4.4.3). */
export interface MultistreamParent {
  readonly zrtpSess: Uint8Array;
  readonly peerZid: Uint8Array;
  readonly hash: HashName;
  readonly cipher: CipherName;
  readonly authTag: AuthTagName;
  readonly sasType: SasTypeName;
  readonly sas: string;
  /** Read when the multistream Confirm is built, so a SAS verified meanwhile carries over (V flag). */
  readonly verified: () => boolean;
}

/** The algorithms both sides use from the Commit on, with the hash they imply (§4.1.2, §5.1.2). */
export interface Negotiated {
  readonly algorithms: NegotiatedAlgorithms;
  readonly suite: HashSuite;
}

/** s0's products (§4.5.3) and whether rs1 failed to match the peer's (§4.6.1.1). */
export interface Derived {
  readonly keys: SessionKeys;
  readonly cacheMismatch: boolean;
}

/** ZIDi and ZIDr in the KDF context order (§4.4.1.4): the initiator's first. */
function zidOrder(role: ZrtpRole, ownZid: Uint8Array, peerZid: Uint8Array): [Uint8Array, Uint8Array] {
  return role === 'initiator' ? [ownZid, peerZid] : [peerZid, ownZid];
}

/** DHPart1 (responder) or DHPart2 (initiator) with our secret IDs (§4.3.1, §5.5, §5.6). */
export function buildDHPart(part: 1 | 2, suite: HashSuite, chain: HashChain, own: OwnSecrets, pv: Uint8Array, random: (n: number) => Uint8Array): Uint8Array {
  const ids = ownSecretIds(suite, own, chain.h3, part === 2 ? 'Initiator' : 'Responder', random);
  return encodeDHPart({ part, h1: chain.h1, ...ids, pv }, chain.h0);
}

/** hvi = hash(DHPart2 || responder's Hello), truncated to 256 bits (§4.4.1.1). */
export function hvi(suite: HashSuite, dhPart2: Uint8Array, responderHello: Uint8Array): Uint8Array {
  return suite.hash(concatBytes(dhPart2, responderHello)).slice(0, 32);
}

export interface DhInput {
  readonly dhResult: Uint8Array;
  readonly totalHash: Uint8Array;
  readonly peerDHPart: DHPart;
  readonly peerH3: Uint8Array;
  readonly role: ZrtpRole;
  readonly ownZid: Uint8Array;
  readonly peerZid: Uint8Array;
  readonly own: OwnSecrets;
}

/**
 * s1/s2/s3 from the secret IDs in the peer's DHPart (§4.3.2), then s0 and all keys (§4.4.1.4).
 * Wipes the DH result once s0 exists.
 */
export function deriveDh(n: Negotiated, x: DhInput): Derived {
  const shared = matchSharedSecrets(n.suite, x.own, x.peerH3, x.peerDHPart, x.role === 'initiator' ? 'Responder' : 'Initiator');
  const [zidi, zidr] = zidOrder(x.role, x.ownZid, x.peerZid);
  const context = kdfContext(zidi, zidr, x.totalHash);
  const s0 = s0Dh(n.suite, x.dhResult, context, shared.s1, shared.s2, shared.s3);
  x.dhResult.fill(0);
  return { keys: sessionKeysFromS0(n.suite, s0, context, cipherKeyLength(n.algorithms.cipher)), cacheMismatch: shared.cacheMismatch };
}

/** Multistream keys from the first stream's ZRTPSess (§4.4.3.2): total_hash covers the responder's Hello and the Commit. */
export function deriveMultistream(n: Negotiated, zrtpSess: Uint8Array, role: ZrtpRole, ownZid: Uint8Array, peerZid: Uint8Array, responderHello: Uint8Array, commit: Uint8Array): Derived {
  const [zidi, zidr] = zidOrder(role, ownZid, peerZid);
  const context = kdfContext(zidi, zidr, totalHash(n.suite, [responderHello, commit]));
  const s0 = s0Multistream(n.suite, zrtpSess, context);
  return { keys: sessionKeysFromS0(n.suite, s0, context, cipherKeyLength(n.algorithms.cipher)), cacheMismatch: false };
}

/**
 * Our V flag (§4.6.1, §7.1): a multistream stream reads the first stream's; otherwise the cache's,
 * unless rs1 just failed to match (then it is cleared until the SAS is compared again).
 */
export function ourVerifiedFlag(parent: MultistreamParent | undefined, derived: Derived, entry: ZrtpCacheEntry | undefined): boolean {
  if (parent) return parent.verified();
  return !derived.cacheMismatch && (entry?.verified ?? false);
}

/**
 * Confirm1 (responder's keys) or Confirm2 (initiator's), sealed with a fresh CFB IV (§5.7);
 * `cacheExpiration` is how long the peer should keep this session's rs1 (§4.9).
 */
export function buildConfirm(p: ZrtpPrimitives, part: 1 | 2, suite: HashSuite, keys: SessionKeys, h0: Uint8Array, verified: boolean, iv: Uint8Array, cacheExpiration = CACHE_FOREVER): Uint8Array {
  const [zrtpKey, macKey] = part === 1 ? [keys.zrtpkeyr, keys.mackeyr] : [keys.zrtpkeyi, keys.mackeyi];
  const body: ConfirmBody = {
    h0,
    flags: { enrollment: false, verified, allowClear: false, disclosure: false },
    cacheExpiration,
  };
  const sealed = sealConfirm(p, suite, zrtpKey, macKey, iv, body);
  return encodeConfirmWire(part, sealed.confirmMac, iv, sealed.encrypted);
}

export interface SecureInput {
  readonly algorithms: NegotiatedAlgorithms;
  readonly derived: Derived;
  readonly role: ZrtpRole;
  readonly peerZid: Uint8Array;
  readonly parent: MultistreamParent | undefined;
  readonly ourVerified: boolean;
  readonly peerVerified: boolean;
  readonly helloHashMatched: boolean | undefined;
}

/**
 * The `secure` event: each direction's SRTP master (§4.5.3), the SAS (§5.1.6; a multistream
 * stream shows the first stream's, §4.4.3) and whether both sides have it verified (§7.1).
 */
export function secureEvent(x: SecureInput): ZrtpSecure {
  const { algorithms, derived, parent } = x;
  const multistream = algorithms.keyAgreement === 'Mult';
  const initiator = x.role === 'initiator';
  return {
    type: 'secure',
    role: x.role,
    keys: {
      local: initiator ? derived.keys.srtpInitiator : derived.keys.srtpResponder,
      remote: initiator ? derived.keys.srtpResponder : derived.keys.srtpInitiator,
    },
    cipher: algorithms.cipher,
    authTag: algorithms.authTag,
    hash: algorithms.hash,
    keyAgreement: algorithms.keyAgreement,
    sasType: multistream && parent ? parent.sasType : algorithms.sas,
    sas: multistream && parent ? parent.sas : renderSas(algorithms.sas, derived.keys.sasHash),
    peerZid: x.peerZid,
    verified: x.ourVerified && x.peerVerified,
    cacheMismatch: derived.cacheMismatch,
    multistream,
    helloHashMatched: x.helloHashMatched,
  };
}

/**
 * Once secure, the Confirm keys, sashash and the next rs1 (the cache has its own copy) have no
 * further use. ZRTPSess stays for multistream, the SRTP masters until the worker has built its
 * sessions (it wipes them then), everything else until dispose.
 */
export function wipeConfirmKeys(keys: SessionKeys): void {
  for (const b of [keys.mackeyi, keys.mackeyr, keys.zrtpkeyi, keys.zrtpkeyr, keys.sasHash, keys.newRs1]) b.fill(0);
}

export type CacheUpdate = { readonly kind: 'none' } | { readonly kind: 'pending'; readonly rs1: Uint8Array } | { readonly kind: 'store'; readonly entry: ZrtpCacheEntry };

/**
 * The cache after a DH session (§4.6.1): the new rs1 becomes rs1 and the old one rs2; after a
 * mismatch it waits for the SAS to be verified (§4.6.1.1). Copies rs1: the session's is wiped.
 */
export function cacheUpdate(peerCacheExpiration: number, derived: Derived, entry: ZrtpCacheEntry | undefined): CacheUpdate {
  // §4.9: a cache expiration of 0 from either side means this session's secret is not kept.
  if (peerCacheExpiration === 0) return { kind: 'none' };
  if (derived.cacheMismatch) return { kind: 'pending', rs1: derived.keys.newRs1.slice() };
  return { kind: 'store', entry: { rs1: derived.keys.newRs1.slice(), rs2: entry?.rs1, pbxSecret: entry?.pbxSecret, verified: entry?.verified ?? false } };
}
