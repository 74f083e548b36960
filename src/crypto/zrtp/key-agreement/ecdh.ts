// Elliptic-curve key agreements. EC25/EC38 (RFC 6189 §5.1.5): pv is x || y of the public point
// (no 0x04 prefix), DHResult is the x coordinate of the shared point. X255 is not in RFC 6189;
// bzrtp (Linphone) is its reference: pv is the 32-byte RFC 7748 u-coordinate and DHResult the
// 32-byte X25519 output, both as RFC 7748 encodes them. The curve arithmetic is injected
// (ZrtpPrimitives: portable or node:crypto).
import type { DhCurve, ZrtpPrimitives } from '../primitives';
import type { KeyAgreement, KeyPair } from './types';

/** The group orders n of P-256 and P-384 (FIPS 186-5 / SP 800-186 §3.2.1.3, §3.2.1.4). */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P384_ORDER = 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n;

function bigEndian(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function toBigEndian(v: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/**
 * A secret scalar in [1, n-1] from a seed of 1.5x the order's length: seed mod (n-1) + 1, whose
 * bias is negligible (FIPS 186-5 A.4.1); the same scalar noble's randomSecretKey makes.
 */
export function scalarFromSeed(seed: Uint8Array, order: bigint, length: number): Uint8Array {
  return toBigEndian((bigEndian(seed) % (order - 1n)) + 1n, length);
}

function montgomery(curve: DhCurve): KeyAgreement {
  return {
    name: 'X255',
    publicValueLength: 32,
    generate(random) {
      const secret = random(32);
      return { secret, publicValue: curve.publicKey(secret) };
    },
    agree: (secret, peer) => (peer.length === 32 ? curve.sharedSecret(secret, peer) : undefined),
  };
}

function nist(name: 'EC25' | 'EC38', curve: DhCurve, order: bigint, coordinate: number): KeyAgreement {
  return {
    name,
    publicValueLength: 2 * coordinate,
    generate(random): KeyPair {
      const seed = random(coordinate + coordinate / 2);
      const secret = scalarFromSeed(seed, order, coordinate);
      seed.fill(0);
      return { secret, publicValue: curve.publicKey(secret) };
    },
    agree: (secret, peer) => (peer.length === 2 * coordinate ? curve.sharedSecret(secret, peer) : undefined),
  };
}

export function ecdhKeyAgreements(p: ZrtpPrimitives): { X255: KeyAgreement; EC25: KeyAgreement; EC38: KeyAgreement } {
  return { X255: montgomery(p.x25519), EC25: nist('EC25', p.p256, P256_ORDER, 32), EC38: nist('EC38', p.p384, P384_ORDER, 48) };
}
