// Algorithm names and the negotiation from both Hellos (RFC 6189 §4.1.2, §5.1.2-§5.1.6).
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import type { Hello } from './messages';

/** S512 is bzrtp's name for SHA-512 (not in RFC 6189's table); it keys the post-quantum agreements. */
export type HashName = 'S256' | 'S384' | 'S512';
export type CipherName = 'AES1' | 'AES3';
export type AuthTagName = 'HS32' | 'HS80';
export type DhKeyAgreementName = 'X255' | 'EC25' | 'EC38' | 'DH3k' | 'DH2k';
/** KEM-mode key agreements as bzrtp names them (key-agreement/kem.ts). */
export type KemKeyAgreementName = 'X1M1' | 'MLK2' | 'X3M3';
export type KeyAgreementName = DhKeyAgreementName | KemKeyAgreementName | 'Mult';
export type SasTypeName = 'B32' | 'B256';

export interface AlgorithmPreferences {
  readonly hashes: readonly HashName[];
  readonly ciphers: readonly CipherName[];
  readonly authTags: readonly AuthTagName[];
  readonly keyAgreements: readonly KeyAgreementName[];
  readonly sasTypes: readonly SasTypeName[];
}

/**
 * What we offer by default: the X25519 + ML-KEM-512 hybrid first, so two Vouch ends (or a
 * PQ-enabled Linphone) agree post-quantum and everyone else falls back to a classic agreement.
 * A Hello carries at most 7 per list (§5.2), so MLK2 and X3M3 are only offered when configured.
 */
export const SUPPORTED: AlgorithmPreferences = {
  hashes: ['S256', 'S384', 'S512'],
  ciphers: ['AES1', 'AES3'],
  authTags: ['HS80', 'HS32'],
  keyAgreements: ['X1M1', 'X255', 'EC25', 'DH3k', 'EC38', 'DH2k', 'Mult'],
  sasTypes: ['B32', 'B256'],
};

/** Key agreements we implement beyond the default Hello list. */
export const OPTIONAL_KEY_AGREEMENTS: readonly KeyAgreementName[] = ['MLK2', 'X3M3'];

export function isKemAgreement(name: string): name is KemKeyAgreementName {
  return name === 'X1M1' || name === 'MLK2' || name === 'X3M3';
}

export const DEFAULT_PREFERENCES: AlgorithmPreferences = SUPPORTED;

/** Algorithms every endpoint supports even when its Hello omits them (§5.1.2-§5.1.6). */
const MANDATORY = { hashes: ['S256'], ciphers: ['AES1'], authTags: ['HS32', 'HS80'], keyAgreements: ['DH3k'], sasTypes: ['B32'] };

export interface NegotiatedAlgorithms {
  readonly hash: HashName;
  readonly cipher: CipherName;
  readonly authTag: AuthTagName;
  readonly keyAgreement: KeyAgreementName;
  readonly sas: SasTypeName;
}

/** ZRTP Error codes (§5.9). */
export const ERROR = {
  malformedPacket: 0x10,
  criticalSoftwareError: 0x20,
  unsupportedVersion: 0x30,
  helloComponentsMismatch: 0x40,
  hashNotSupported: 0x51,
  cipherNotSupported: 0x52,
  keyExchangeNotSupported: 0x53,
  authTagNotSupported: 0x54,
  sasNotSupported: 0x55,
  noSharedSecret: 0x56,
  badPublicValue: 0x61,
  hviMismatch: 0x62,
  untrustedMitm: 0x63,
  badConfirmMac: 0x70,
  nonceReuse: 0x80,
  equalZids: 0x90,
  ssrcCollision: 0x91,
  serviceUnavailable: 0xa0,
  protocolTimeout: 0xb0,
  goClearNotAllowed: 0x100,
} as const;

/**
 * bzrtp's internal IDs (bzrtp.h ZRTP_KEYAGREEMENT_*): it breaks a §4.1.2 tie by the lower ID,
 * which orders the DH agreements fastest first and puts every KEM after every DH. We must pick
 * exactly as bzrtp does, or both sides Commit different agreements and contention stalls.
 */
const BZRTP_ID: Readonly<Record<string, number>> = { DH2k: 0x41, X255: 0x42, EC25: 0x44, DH3k: 0x47, EC38: 0x48, MLK2: 0x58, X1M1: 0x5a, X3M3: 0x5b };

function withMandatory(list: readonly string[], mandatory: readonly string[]): string[] {
  return [...list, ...mandatory.filter((m) => !list.includes(m))];
}

function common(self: readonly string[], peer: readonly string[]): string[] {
  return self.filter((a) => peer.includes(a));
}

type PeerLists = Pick<Hello, 'hashes' | 'ciphers' | 'authTags' | 'keyAgreements' | 'sasTypes'>;

/**
 * The initiator's choice (§4.1.2): the key agreement both prefer, or of the two first choices
 * the one with the lower bzrtp ID; the others in our order of preference among the common ones.
 * EC38 and the KEMs take S512 (else S384) and AES3 when both sides have them, as bzrtp does
 * (§5.1.5: a 384-bit curve with a 256-bit hash would be weaker).
 */
export function negotiate(self: AlgorithmPreferences, peer: PeerLists): NegotiatedAlgorithms | { error: number } {
  const peerKa = withMandatory(peer.keyAgreements, MANDATORY.keyAgreements).filter((k) => k !== 'Mult' && k !== 'Prsh');
  const selfKa = self.keyAgreements.filter((k) => k !== 'Mult');
  const selfFirst = common(selfKa, peerKa)[0];
  const peerFirst = common(peerKa, selfKa)[0];
  if (!selfFirst || !peerFirst) return { error: ERROR.keyExchangeNotSupported };
  const keyAgreement = (selfFirst === peerFirst || (BZRTP_ID[selfFirst] ?? 0xff) <= (BZRTP_ID[peerFirst] ?? 0xff) ? selfFirst : peerFirst) as KeyAgreementName;
  const hashes = common(self.hashes, withMandatory(peer.hashes, MANDATORY.hashes)) as HashName[];
  const ciphers = common(self.ciphers, withMandatory(peer.ciphers, MANDATORY.ciphers)) as CipherName[];
  const authTags = common(self.authTags, withMandatory(peer.authTags, MANDATORY.authTags)) as AuthTagName[];
  const sasTypes = common(self.sasTypes, withMandatory(peer.sasTypes, MANDATORY.sasTypes)) as SasTypeName[];
  if (!hashes.length) return { error: ERROR.hashNotSupported };
  if (!ciphers.length) return { error: ERROR.cipherNotSupported };
  if (!authTags.length) return { error: ERROR.authTagNotSupported };
  if (!sasTypes.length) return { error: ERROR.sasNotSupported };
  const strong = keyAgreement === 'EC38' || isKemAgreement(keyAgreement);
  return {
    keyAgreement,
    hash: strong ? (hashes.includes('S512') ? 'S512' : hashes.includes('S384') ? 'S384' : 'S256') : hashes[0],
    cipher: strong && ciphers.includes('AES3') ? 'AES3' : ciphers[0],
    authTag: authTags[0],
    sas: sasTypes[0],
  };
}

/** Checks a received Commit's choices against what we support and what we offered (Error code or undefined). */
export function checkCommitAlgorithms(self: AlgorithmPreferences, c: { hash: string; cipher: string; authTag: string; keyAgreement: string; sas: string }): number | undefined {
  const offered = (list: readonly string[], mandatory: readonly string[], v: string) => withMandatory(list, mandatory).includes(v);
  if (!offered(self.hashes, MANDATORY.hashes, c.hash)) return ERROR.hashNotSupported;
  if (!offered(self.ciphers, MANDATORY.ciphers, c.cipher)) return ERROR.cipherNotSupported;
  if (!offered(self.authTags, MANDATORY.authTags, c.authTag)) return ERROR.authTagNotSupported;
  if (!offered(self.keyAgreements, MANDATORY.keyAgreements, c.keyAgreement)) return ERROR.keyExchangeNotSupported;
  if (!offered(self.sasTypes, MANDATORY.sasTypes, c.sas)) return ERROR.sasNotSupported;
  return undefined;
}

/** The negotiated hash and its HMAC (§5.1.2). */
export interface HashSuite {
  readonly name: HashName;
  readonly length: number;
  hash(data: Uint8Array): Uint8Array;
  hmac(key: Uint8Array, data: Uint8Array): Uint8Array;
}

export const HASH_SUITES: Readonly<Record<HashName, HashSuite>> = {
  S256: { name: 'S256', length: 32, hash: (d) => sha256(d), hmac: (k, d) => hmac(sha256, k, d) },
  S384: { name: 'S384', length: 48, hash: (d) => sha384(d), hmac: (k, d) => hmac(sha384, k, d) },
  S512: { name: 'S512', length: 64, hash: (d) => sha512(d), hmac: (k, d) => hmac(sha512, k, d) },
};

/** AES key length in bytes for the negotiated cipher (§5.1.3). */
export function cipherKeyLength(cipher: CipherName): number {
  return cipher === 'AES3' ? 32 : 16;
}
