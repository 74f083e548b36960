// Elliptic-curve key agreements. EC25/EC38 (RFC 6189 §5.1.5): pv is x || y of the public point
// (no 0x04 prefix), DHResult is the x coordinate of the shared point. X255 is not in RFC 6189;
// bzrtp (Linphone) is its reference: pv is the 32-byte RFC 7748 u-coordinate and DHResult the
// 32-byte X25519 output, both as RFC 7748 encodes them.
import { x25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { concatBytes } from '../bytes';
import type { KeyAgreement, KeyPair } from './types';

export const X255: KeyAgreement = {
  name: 'X255',
  publicValueLength: 32,
  generate(random) {
    const secret = random(32);
    return { secret, publicValue: x25519.getPublicKey(secret) };
  },
  agree(secret, peer) {
    if (peer.length !== 32) return undefined;
    try {
      // noble rejects the all-zero output of small-order points.
      return x25519.getSharedSecret(secret, peer);
    } catch {
      return undefined;
    }
  },
};

function nist(name: 'EC25' | 'EC38', curve: typeof p256, coordinate: number): KeyAgreement {
  return {
    name,
    publicValueLength: 2 * coordinate,
    generate(random): KeyPair {
      // noble reduces a seed of 1.5x the order's length, so the bias is negligible (FIPS 186-5 A.4.1).
      const seed = random(coordinate + coordinate / 2);
      const secret = curve.utils.randomSecretKey(seed);
      seed.fill(0);
      return { secret, publicValue: curve.getPublicKey(secret, false).slice(1) };
    },
    agree(secret, peer) {
      if (peer.length !== 2 * coordinate) return undefined;
      try {
        const shared = curve.getSharedSecret(secret, concatBytes(new Uint8Array([4]), peer), false);
        return shared.slice(1, 1 + coordinate);
      } catch {
        return undefined;
      }
    },
  };
}

export const EC25 = nist('EC25', p256, 32);
export const EC38 = nist('EC38', p384 as unknown as typeof p256, 48);
