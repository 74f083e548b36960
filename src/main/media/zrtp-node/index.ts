// node:crypto primitives for ZRTP's curves and Confirm cipher, injected by the media worker into
// src/crypto/zrtp (`new ZrtpEngine({ ..., primitives: nodeZrtpPrimitives })`), as it injects
// node:crypto into SRTP (../srtp-node). Issue 23: with these, the worker never loads noble's AES
// and curve modules, which cost megabytes of resident memory in every idle worker; OpenSSL's code
// is in the node binary already. index.test.ts checks every output against the portable ones.
import { createCipheriv, createDecipheriv, createECDH, createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import type { DhCurve, ZrtpPrimitives } from '../../../crypto/zrtp';

/**
 * The fixed DER prefixes of a raw X25519/X448 key as PKCS #8 and SubjectPublicKeyInfo (RFC 8410
 * §7 and §4: OIDs 1.3.101.110 and 1.3.101.111), how OpenSSL takes a raw key through Node 20's API.
 */
const MONTGOMERY_DER = {
  X25519: { pkcs8: '302e020100300506032b656e04220420', spki: '302a300506032b656e032100', length: 32 },
  X448: { pkcs8: '3046020100300506032b656f043a0438', spki: '3042300506032b656f033900', length: 56 },
} as const;

/**
 * `prefix` then `key`, in memory of its own: Buffer.alloc never takes Node's shared pool (where
 * Buffer.concat would put a short private key, never zeroed, next to unrelated data), so the
 * caller can zero it after use.
 */
function der(prefixHex: string, key: Uint8Array): Buffer {
  const prefix = Buffer.from(prefixHex, 'hex');
  const out = Buffer.alloc(prefix.length + key.length);
  out.set(prefix, 0);
  out.set(key, prefix.length);
  return out;
}

/** A copy of `secret` in a Uint8Array of its own, and `secret` zeroed (it came from OpenSSL through a Buffer). */
function takeSecret(secret: Buffer): Uint8Array {
  const out = new Uint8Array(secret);
  secret.fill(0);
  return out;
}

function montgomery(curve: keyof typeof MONTGOMERY_DER): DhCurve {
  const { pkcs8, spki, length } = MONTGOMERY_DER[curve];
  const privateKey = (secret: Uint8Array) => {
    const document = der(pkcs8, secret);
    try {
      return createPrivateKey({ key: document, format: 'der', type: 'pkcs8' });
    } finally {
      document.fill(0);
    }
  };
  return {
    publicKey(secret) {
      const out = createPublicKey(privateKey(secret)).export({ format: 'der', type: 'spki' });
      return new Uint8Array(out.subarray(out.length - length));
    },
    sharedSecret(secret, peer) {
      if (peer.length !== length || secret.length !== length) return undefined;
      try {
        // OpenSSL refuses the all-zero output of small-order points (RFC 7748 §6.1), as noble does.
        const publicKey = createPublicKey({ key: der(spki, peer), format: 'der', type: 'spki' });
        return takeSecret(diffieHellman({ privateKey: privateKey(secret), publicKey }));
      } catch {
        return undefined;
      }
    },
  };
}

function weierstrass(curve: 'prime256v1' | 'secp384r1', coordinate: number): DhCurve {
  const withSecret = (secret: Uint8Array) => {
    const ecdh = createECDH(curve);
    ecdh.setPrivateKey(secret);
    return ecdh;
  };
  return {
    publicKey: (secret) => new Uint8Array(withSecret(secret).getPublicKey().subarray(1)),
    sharedSecret(secret, peer) {
      if (peer.length !== 2 * coordinate) return undefined;
      try {
        // computeSecret checks that the point is on the curve (ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY).
        const point = new Uint8Array(1 + peer.length);
        point[0] = 4; // uncompressed (SEC 1 §2.3.3)
        point.set(peer, 1);
        return takeSecret(withSecret(secret).computeSecret(point));
      } catch {
        return undefined;
      }
    },
  };
}

export const nodeZrtpPrimitives: ZrtpPrimitives = {
  name: 'node',
  x25519: montgomery('X25519'),
  x448: montgomery('X448'),
  p256: weierstrass('prime256v1', 32),
  p384: weierstrass('secp384r1', 48),
  aesCfb(key, iv, data, direction) {
    const algorithm = `aes-${key.length * 8}-cfb`;
    const cipher = direction === 'encrypt' ? createCipheriv(algorithm, key, iv) : createDecipheriv(algorithm, key, iv);
    // Not Buffer.concat (Node's shared pool): a decrypted Confirm holds H0. CFB is a stream mode,
    // so final() adds nothing, and update's Buffer is zeroed once copied.
    const head = cipher.update(data);
    const tail = cipher.final();
    const out = new Uint8Array(head.length + tail.length);
    out.set(head, 0);
    out.set(tail, head.length);
    head.fill(0);
    return out;
  },
};
