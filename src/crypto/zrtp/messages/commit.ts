// Commit (RFC 6189 §5.4): H2, ZIDi, the five chosen algorithms, then hvi (DH modes), a nonce
// (Multistream) or a nonce and key ID (Preshared), and the MAC keyed with H1. In KEM mode (bzrtp,
// not in the RFC) the initiator's KEM public key follows hvi at offset 108, zero-padded to words.
import { ascii, concatBytes } from '../bytes';
import { implicitMac } from '../hash-chain';
import { Reader, fail, frame, messageType } from './codec';
import type { DecodeResult } from './codec';

export interface Commit {
  readonly h2: Uint8Array;
  readonly zid: Uint8Array;
  readonly hash: string;
  readonly cipher: string;
  readonly authTag: string;
  readonly keyAgreement: string;
  readonly sas: string;
  /** DH modes: hash(DHPart2 || responder's Hello), 32 bytes (§4.4.1.1). */
  readonly hvi?: Uint8Array;
  /** Mult and Prsh modes: 16-byte nonce. */
  readonly nonce?: Uint8Array;
  /** Prsh mode only. */
  readonly keyId?: Uint8Array;
  /** KEM mode: the initiator's public key, unpadded (bzrtp packetParser: Commit carries pk). */
  readonly pk?: Uint8Array;
  readonly mac: Uint8Array;
  readonly raw: Uint8Array;
}

export type CommitFields = Omit<Commit, 'mac' | 'raw'>;

/**
 * Public key lengths of the KEM agreements (FIPS 203 ek; X25519 32, X448 56 bytes first in a
 * hybrid), as bzrtp_getKEMPublicKeyLength gives them; kem.test.ts checks them against the KEMs.
 */
export const KEM_PUBLIC_KEY_LENGTH: Readonly<Record<string, number>> = { X1M1: 32 + 800, MLK2: 1184, X3M3: 56 + 1568 };

/** bzrtp pads a KEM value to whole 32-bit words with zeros (message lengths count words). */
export function paddedLength(n: number): number {
  return (n + 3) & ~3;
}

function padded(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedLength(b.length));
  out.set(b);
  return out;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export function encodeCommit(c: CommitFields, h1: Uint8Array): Uint8Array {
  const tail =
    c.keyAgreement === 'Mult' ? [c.nonce as Uint8Array]
    : c.keyAgreement === 'Prsh' ? [c.nonce as Uint8Array, c.keyId as Uint8Array]
    : hasOwn(KEM_PUBLIC_KEY_LENGTH, c.keyAgreement) ? [c.hvi as Uint8Array, padded(c.pk as Uint8Array)]
    : [c.hvi as Uint8Array];
  const body = concatBytes(
    c.h2,
    c.zid,
    ...[c.hash, c.cipher, c.authTag, c.keyAgreement, c.sas].map((a) => ascii(a.padEnd(4).slice(0, 4))),
    ...tail,
    new Uint8Array(8),
  );
  const message = frame('Commit  ', body);
  message.set(implicitMac(h1, message.subarray(0, message.length - 8)), message.length - 8);
  return message;
}

export function decodeCommit(raw: Uint8Array): DecodeResult<Commit> {
  if (messageType(raw) !== 'Commit  ') return fail('not a Commit');
  const r = new Reader(raw);
  const h2 = r.bytes(32);
  const zid = r.bytes(12);
  const algs = [r.text(4), r.text(4), r.text(4), r.text(4), r.text(4)];
  if (!h2 || !zid || algs.some((a) => a === undefined)) return fail('Commit too short');
  const [hash, cipher, authTag, keyAgreement, sas] = (algs as string[]).map((a) => a.trimEnd());
  const pkLength = hasOwn(KEM_PUBLIC_KEY_LENGTH, keyAgreement) ? KEM_PUBLIC_KEY_LENGTH[keyAgreement] : 0;
  const variable = keyAgreement === 'Mult' ? 16 : keyAgreement === 'Prsh' ? 24 : 32 + paddedLength(pkLength);
  if (r.remaining !== variable + 8) return fail('Commit length does not match its mode');
  const base = { h2, zid, hash, cipher, authTag, keyAgreement, sas };
  let extra: Partial<Commit>;
  if (keyAgreement === 'Mult') extra = { nonce: r.bytes(16) };
  else if (keyAgreement === 'Prsh') extra = { nonce: r.bytes(16), keyId: r.bytes(8) };
  else if (pkLength) {
    const hvi = r.bytes(32);
    const pk = (r.bytes(paddedLength(pkLength)) as Uint8Array).slice(0, pkLength);
    extra = { hvi, pk };
  } else extra = { hvi: r.bytes(32) };
  return { ok: true, message: { ...base, ...extra, mac: r.bytes(8) as Uint8Array, raw } };
}
