// KEM key agreements as bzrtp (linphone-sdk ≥ 5.4, postquantumcryptoengine) runs them: ML-KEM
// (FIPS 203) alone, and hybrids of an ECDH-KEM (RFC 9180 §4.1 DHKEM shape, ZRTP labels) with
// ML-KEM, whose secrets are chained by a nested dual-PRF combiner. Not in RFC 6189: bzrtp's code
// is the reference, and its tester's KEM_patterns.cc the vectors (kem.test.ts).
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { ascii, concatBytes } from '../bytes';
import type { DhCurve, ZrtpPrimitives } from '../primitives';

export type KemName = 'X1M1' | 'MLK2' | 'X3M3';
/** The negotiated ZRTP hash, which keys the ECDH-KEM's HKDF and the combiner (bzrtp passes its hashId). */
export type KemHashName = 'S256' | 'S384' | 'S512';

const NOBLE_HASH = { S256: sha256, S384: sha384, S512: sha512 } as const;

export interface KemKeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface Encapsulation {
  readonly cipherText: Uint8Array;
  readonly sharedSecret: Uint8Array;
}

/** One KEM: the initiator generates (pk goes in the Commit), the responder encapsulates (ct in DHPart1), the initiator decapsulates. */
export interface Kem {
  readonly name: KemName;
  readonly publicKeyLength: number;
  readonly cipherTextLength: number;
  generate(random: (n: number) => Uint8Array): KemKeyPair;
  /** undefined when the public key is malformed (Error 0x61). */
  encapsulate(publicKey: Uint8Array, hash: KemHashName, random: (n: number) => Uint8Array): Encapsulation | undefined;
  /** KEMResult, or undefined when the cipher text is malformed. */
  decapsulate(cipherText: Uint8Array, secretKey: Uint8Array, hash: KemHashName): Uint8Array | undefined;
}

/** A component of a hybrid: its own sizes and raw encaps/decaps. */
interface Component {
  readonly skLength: number;
  readonly pkLength: number;
  readonly ctLength: number;
  generate(random: (n: number) => Uint8Array): KemKeyPair;
  encapsulate(pk: Uint8Array, hash: KemHashName, random: (n: number) => Uint8Array): Encapsulation | undefined;
  decapsulate(ct: Uint8Array, sk: Uint8Array, hash: KemHashName): Uint8Array | undefined;
}

/**
 * ss = HKDF-H(salt "", ikm "ZRTPKEM" || I2OSP(id, 2) || "eae_prk" || DH,
 *             info I2OSP(L, 2) || "ZRTP-v1.1KEM" || I2OSP(id, 2) || "shared_secret" || ct || pk, L)
 * with L the curve's coordinate length (bzrtp crypto.cc secretDerivation; RFC 9180 §4.1 shape).
 */
export function ecdhKemSecret(hash: KemHashName, kemId: number, dh: Uint8Array, ct: Uint8Array, pk: Uint8Array): Uint8Array {
  const id = new Uint8Array([kemId >> 8, kemId & 0xff]);
  const length = dh.length;
  const ikm = concatBytes(ascii('ZRTPKEM'), id, ascii('eae_prk'), dh);
  const info = concatBytes(new Uint8Array([length >> 8, length & 0xff]), ascii('ZRTP-v1.1KEM'), id, ascii('shared_secret'), ct, pk);
  const out = hkdf(NOBLE_HASH[hash], ikm, new Uint8Array(0), info, length);
  ikm.fill(0);
  return out;
}

/** An RFC 9180 §4.1-shaped DHKEM on `curve` (X25519 or X448, injected: ZrtpPrimitives). */
function ecdhKem(curve: DhCurve, length: number, kemId: number): Component {
  const shared = (secret: Uint8Array, peer: Uint8Array): Uint8Array | undefined => (peer.length === length ? curve.sharedSecret(secret, peer) : undefined);
  return {
    skLength: length,
    pkLength: length,
    ctLength: length,
    generate(random) {
      const secretKey = random(length);
      return { secretKey, publicKey: curve.publicKey(secretKey) };
    },
    encapsulate(pk, hash, random) {
      const eph = random(length);
      const dh = shared(eph, pk);
      if (!dh) return undefined;
      const cipherText = curve.publicKey(eph);
      eph.fill(0);
      const sharedSecret = ecdhKemSecret(hash, kemId, dh, cipherText, pk);
      dh.fill(0);
      return { cipherText, sharedSecret };
    },
    decapsulate(ct, sk, hash) {
      if (sk.length !== length) return undefined;
      const dh = shared(sk, ct);
      if (!dh) return undefined;
      const out = ecdhKemSecret(hash, kemId, dh, ct, curve.publicKey(sk));
      dh.fill(0);
      return out;
    },
  };
}

type NobleMlKem = typeof ml_kem512;

function mlKem(kem: NobleMlKem, skLength: number, pkLength: number, ctLength: number): Component {
  return {
    skLength,
    pkLength,
    ctLength,
    generate(random) {
      const seed = random(64);
      const pair = kem.keygen(seed);
      seed.fill(0);
      return pair;
    },
    encapsulate(pk, _hash, random) {
      if (pk.length !== pkLength) return undefined;
      try {
        // FIPS 203 §7.2: the encapsulation key check (modulus check) throws on a bad key.
        return kem.encapsulate(pk, random(32));
      } catch {
        return undefined;
      }
    },
    decapsulate(ct, sk, _hash) {
      if (ct.length !== ctLength || sk.length !== skLength) return undefined;
      try {
        // noble wipes the secret key it is given: hand it a copy.
        return kem.decapsulate(ct, sk.slice());
      } catch {
        return undefined;
      }
    },
  };
}

/** RFC 9180 §7.1 KEM ids, as bzrtp's K25519/K448 carry them. */
export const x25519Kem = (p: ZrtpPrimitives): Component => ecdhKem(p.x25519, 32, 0x0020);
export const x448Kem = (p: ZrtpPrimitives): Component => ecdhKem(p.x448, 56, 0x0021);
export const ML_KEM_512 = mlKem(ml_kem512, 1632, 800, 768);
export const ML_KEM_768 = mlKem(ml_kem768, 2400, 1184, 1088);
export const ML_KEM_1024 = mlKem(ml_kem1024, 3168, 1568, 1568);

/** KEMResult = HMAC(…HMAC(HMAC("", ss_1), ss_2)…, ct_1 || ct_2 || …) (bzrtp crypto.cc nestedDualPrf). */
export function combineSecrets(hash: KemHashName, secrets: readonly Uint8Array[], cipherText: Uint8Array): Uint8Array {
  let t: Uint8Array = new Uint8Array(0);
  for (const s of secrets) {
    const next = hmac(NOBLE_HASH[hash], t, s);
    t.fill(0);
    t = next;
  }
  const out = hmac(NOBLE_HASH[hash], t, cipherText);
  t.fill(0);
  return out;
}

function split(data: Uint8Array, lengths: readonly number[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const n of lengths) {
    parts.push(data.subarray(offset, offset + n));
    offset += n;
  }
  return parts;
}

/** Keys, public keys and cipher texts are the components' concatenated in order (bzrtp HYBRID_KEM). */
export function hybrid(name: KemName, components: readonly Component[]): Kem {
  const sum = (f: (c: Component) => number) => components.reduce((a, c) => a + f(c), 0);
  const publicKeyLength = sum((c) => c.pkLength);
  const cipherTextLength = sum((c) => c.ctLength);
  const skLength = sum((c) => c.skLength);
  return {
    name,
    publicKeyLength,
    cipherTextLength,
    generate(random) {
      const pairs = components.map((c) => c.generate(random));
      const secretKey = concatBytes(...pairs.map((p) => p.secretKey));
      for (const p of pairs) p.secretKey.fill(0);
      return { secretKey, publicKey: concatBytes(...pairs.map((p) => p.publicKey)) };
    },
    encapsulate(publicKey, hash, random) {
      if (publicKey.length !== publicKeyLength) return undefined;
      const pks = split(publicKey, components.map((c) => c.pkLength));
      const parts: Encapsulation[] = [];
      for (let i = 0; i < components.length; i++) {
        const e = components[i].encapsulate(pks[i], hash, random);
        if (!e) return undefined;
        parts.push(e);
      }
      const cipherText = concatBytes(...parts.map((p) => p.cipherText));
      const sharedSecret = combineSecrets(hash, parts.map((p) => p.sharedSecret), cipherText);
      for (const p of parts) p.sharedSecret.fill(0);
      return { cipherText, sharedSecret };
    },
    decapsulate(cipherText, secretKey, hash) {
      if (cipherText.length !== cipherTextLength || secretKey.length !== skLength) return undefined;
      const cts = split(cipherText, components.map((c) => c.ctLength));
      const sks = split(secretKey, components.map((c) => c.skLength));
      const secrets: Uint8Array[] = [];
      for (let i = 0; i < components.length; i++) {
        const s = components[i].decapsulate(cts[i], sks[i], hash);
        if (!s) return undefined;
        secrets.push(s);
      }
      const out = combineSecrets(hash, secrets, cipherText);
      for (const s of secrets) s.fill(0);
      return out;
    },
  };
}

/** ML-KEM alone: KEMResult is ML-KEM's shared secret (bzrtp MLKEM768, no combiner). */
function single(name: KemName, c: Component): Kem {
  return {
    name,
    publicKeyLength: c.pkLength,
    cipherTextLength: c.ctLength,
    generate: (random) => c.generate(random),
    encapsulate: (pk, hash, random) => c.encapsulate(pk, hash, random),
    decapsulate: (ct, sk, hash) => c.decapsulate(ct, sk, hash),
  };
}

type Kems = Readonly<Record<KemName, Kem>>;

const byPrimitives = new WeakMap<ZrtpPrimitives, Kems>();

/** bzrtp's X1M1 (0x5a), MLK2 (0x58), X3M3 (0x5b) on the primitives `p`. Kyber (KYB*, X1K1) and HQC are other algorithms and are not offered. */
export function kems(p: ZrtpPrimitives): Kems {
  let all = byPrimitives.get(p);
  if (!all) {
    all = {
      X1M1: hybrid('X1M1', [x25519Kem(p), ML_KEM_512]),
      MLK2: single('MLK2', ML_KEM_768),
      X3M3: hybrid('X3M3', [x448Kem(p), ML_KEM_1024]),
    };
    byPrimitives.set(p, all);
  }
  return all;
}

export function kemByName(name: string, p: ZrtpPrimitives): Kem | undefined {
  const all = kems(p);
  return Object.prototype.hasOwnProperty.call(all, name) ? all[name as KemName] : undefined;
}
