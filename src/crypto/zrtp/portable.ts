// The default ZRTP primitives: pure TypeScript over @noble, run anywhere (tests, browser, bench).
import { cfb } from '@noble/ciphers/aes.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { x448 } from '@noble/curves/ed448.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { concatBytes } from './bytes';
import type { DhCurve, ZrtpPrimitives } from './primitives';

type Montgomery = typeof x25519;

function montgomery(curve: Montgomery, length: number): DhCurve {
  return {
    publicKey: (secret) => curve.getPublicKey(secret),
    sharedSecret(secret, peer) {
      if (peer.length !== length) return undefined;
      try {
        // noble rejects the all-zero output of small-order points.
        return curve.getSharedSecret(secret, peer);
      } catch {
        return undefined;
      }
    },
  };
}

function weierstrass(curve: typeof p256, coordinate: number): DhCurve {
  return {
    publicKey: (secret) => curve.getPublicKey(secret, false).slice(1),
    sharedSecret(secret, peer) {
      if (peer.length !== 2 * coordinate) return undefined;
      try {
        return curve.getSharedSecret(secret, concatBytes(new Uint8Array([4]), peer), false).slice(1, 1 + coordinate);
      } catch {
        return undefined;
      }
    },
  };
}

export const portableZrtpPrimitives: ZrtpPrimitives = {
  name: 'portable',
  x25519: /* @__PURE__ */ montgomery(x25519, 32),
  x448: /* @__PURE__ */ montgomery(x448 as unknown as Montgomery, 56),
  p256: /* @__PURE__ */ weierstrass(p256, 32),
  p384: /* @__PURE__ */ weierstrass(p384 as unknown as typeof p256, 48),
  aesCfb: (key, iv, data, direction) => (direction === 'encrypt' ? cfb(key, iv).encrypt(data) : cfb(key, iv).decrypt(data)),
};
