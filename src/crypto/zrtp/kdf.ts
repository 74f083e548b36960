// Key derivation (RFC 6189 §4.4.1.4, §4.4.3.2, §4.5): total_hash, s0, the KDF and every key
// derived from s0.
import { concatBytes, u32be, ascii } from './bytes';
import type { HashSuite } from './algorithms';

/** KDF(KI, Label, Context, L) = HMAC(KI, i || Label || 0x00 || Context || L), truncated to L bits (§4.5.1). */
export function kdf(suite: HashSuite, ki: Uint8Array, label: string, context: Uint8Array, lengthBytes: number): Uint8Array {
  const input = concatBytes(u32be(1), ascii(label), new Uint8Array([0]), context, u32be(lengthBytes * 8));
  return suite.hmac(ki, input).slice(0, lengthBytes);
}

/** KDF_Context = ZIDi || ZIDr || total_hash (§4.4.1.4). */
export function kdfContext(zidi: Uint8Array, zidr: Uint8Array, totalHash: Uint8Array): Uint8Array {
  return concatBytes(zidi, zidr, totalHash);
}

/** total_hash = hash(Hello of responder || Commit || DHPart1 || DHPart2); Mult mode stops after Commit (§4.4.3.2). */
export function totalHash(suite: HashSuite, messages: Uint8Array[]): Uint8Array {
  return suite.hash(concatBytes(...messages));
}

function lengthPrefixed(secret: Uint8Array | undefined): Uint8Array {
  return secret ? concatBytes(u32be(secret.length), secret) : u32be(0);
}

/** s0 in DH mode (§4.4.1.4): hash(counter || DHResult || "ZRTP-HMAC-KDF" || ZIDi || ZIDr || total_hash || len(s1) || s1 || len(s2) || s2 || len(s3) || s3). */
export function s0Dh(
  suite: HashSuite,
  dhResult: Uint8Array,
  context: Uint8Array,
  s1: Uint8Array | undefined,
  s2: Uint8Array | undefined,
  s3: Uint8Array | undefined,
): Uint8Array {
  const secrets = [lengthPrefixed(s1), lengthPrefixed(s2), lengthPrefixed(s3)];
  const input = concatBytes(u32be(1), dhResult, ascii('ZRTP-HMAC-KDF'), context, ...secrets);
  const s0 = suite.hash(input);
  // The hash input holds copies of DHResult and the shared secrets: wipe them as bzrtp does.
  input.fill(0);
  for (const b of secrets) b.fill(0);
  return s0;
}

/** s0 in Multistream mode (§4.4.3.2): KDF(ZRTPSess, "ZRTP MSK", KDF_Context, negotiated hash length). */
export function s0Multistream(suite: HashSuite, zrtpSess: Uint8Array, context: Uint8Array): Uint8Array {
  return kdf(suite, zrtpSess, 'ZRTP MSK', context, suite.length);
}

export interface SrtpMasterKey {
  readonly masterKey: Uint8Array;
  readonly masterSalt: Uint8Array;
}

export interface SessionKeys {
  readonly mackeyi: Uint8Array;
  readonly mackeyr: Uint8Array;
  readonly zrtpkeyi: Uint8Array;
  readonly zrtpkeyr: Uint8Array;
  readonly srtpInitiator: SrtpMasterKey;
  readonly srtpResponder: SrtpMasterKey;
  /** 256-bit sashash (§4.5.2); only DH mode shows a SAS. */
  readonly sasHash: Uint8Array;
  /** ZRTPSess (§4.5.2), the key of later multistream sessions. */
  readonly zrtpSess: Uint8Array;
  /** The next rs1 (§4.6.1). */
  readonly newRs1: Uint8Array;
}

/** SRTP master salt: 112 bits (§4.5.3). */
const SRTP_SALT_LENGTH = 14;

export function deriveSessionKeys(suite: HashSuite, s0: Uint8Array, context: Uint8Array, cipherKeyLength: number): SessionKeys {
  const k = (label: string, length: number) => kdf(suite, s0, label, context, length);
  return {
    mackeyi: k('Initiator HMAC key', suite.length),
    mackeyr: k('Responder HMAC key', suite.length),
    zrtpkeyi: k('Initiator ZRTP key', cipherKeyLength),
    zrtpkeyr: k('Responder ZRTP key', cipherKeyLength),
    srtpInitiator: { masterKey: k('Initiator SRTP master key', cipherKeyLength), masterSalt: k('Initiator SRTP master salt', SRTP_SALT_LENGTH) },
    srtpResponder: { masterKey: k('Responder SRTP master key', cipherKeyLength), masterSalt: k('Responder SRTP master salt', SRTP_SALT_LENGTH) },
    sasHash: k('SAS', 32),
    zrtpSess: k('ZRTP Session Key', suite.length),
    newRs1: k('retained secret', 32),
  };
}

/** Every key of a session from s0, then s0 wiped: nothing needs it once the keys exist (§4.5.3; bzrtp destroys it too). */
export function sessionKeysFromS0(suite: HashSuite, s0: Uint8Array, context: Uint8Array, cipherKeyLength: number): SessionKeys {
  const keys = deriveSessionKeys(suite, s0, context, cipherKeyLength);
  s0.fill(0);
  return keys;
}

/** Every buffer of `keys`, e.g. to wipe them (fill(0)) when the session ends. */
export function sessionKeyBuffers(keys: SessionKeys): Uint8Array[] {
  return [
    keys.mackeyi,
    keys.mackeyr,
    keys.zrtpkeyi,
    keys.zrtpkeyr,
    keys.srtpInitiator.masterKey,
    keys.srtpInitiator.masterSalt,
    keys.srtpResponder.masterKey,
    keys.srtpResponder.masterSalt,
    keys.sasHash,
    keys.zrtpSess,
    keys.newRs1,
  ];
}
