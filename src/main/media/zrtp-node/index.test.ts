// The node:crypto ZRTP primitives give exactly what the portable ones give (which carry the RFC
// and bzrtp vectors in src/crypto/zrtp), checked on random inputs, on the rejections ZRTP relies
// on (Error 0x61), and on published vectors.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { portableZrtpPrimitives as portable } from '../../../crypto/zrtp';
import { nodeZrtpPrimitives as node } from './index';

const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const curves = ['x25519', 'x448', 'p256', 'p384'] as const;
/** A secret of each curve from 64 random bytes: Montgomery keys are any bytes (RFC 7748 §5), NIST scalars in [1, n-1]. */
const secretOf = (curve: (typeof curves)[number], seed: Uint8Array): Uint8Array => {
  if (curve === 'x25519') return seed.slice(0, 32);
  if (curve === 'x448') return seed.slice(0, 56);
  const n = curve === 'p256' ? 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n : 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n;
  const length = curve === 'p256' ? 32 : 48;
  const v = (BigInt('0x' + Buffer.from(seed).toString('hex')) % (n - 1n)) + 1n;
  return hex(v.toString(16).padStart(2 * length, '0'));
};

describe('node:crypto ZRTP primitives = portable ones', () => {
  for (const curve of curves) {
    it(`${curve}: same public values and shared secrets`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.uint8Array({ minLength: 64, maxLength: 64 }), (a, b) => {
          const [sa, sb] = [secretOf(curve, a), secretOf(curve, b)];
          const pa = node[curve].publicKey(sa);
          const pb = portable[curve].publicKey(sb);
          expect(pa).toEqual(portable[curve].publicKey(sa));
          expect(node[curve].publicKey(sb)).toEqual(pb);
          const shared = node[curve].sharedSecret(sa, pb);
          expect(shared).toBeDefined();
          expect(shared).toEqual(portable[curve].sharedSecret(sa, pb));
          expect(shared).toEqual(node[curve].sharedSecret(sb, pa));
        }),
        { numRuns: 20 },
      );
    });
  }

  it('reject what the portable ones reject: small-order X25519/X448 points, NIST points off the curve, wrong lengths', () => {
    const seed = new Uint8Array(64).fill(7);
    for (const curve of ['x25519', 'x448'] as const) {
      const s = secretOf(curve, seed);
      // u = 0 and u = 1 are of small order: the output is all zero (RFC 7748 §6.1).
      for (const u of [0, 1]) {
        const point = new Uint8Array(s.length);
        point[0] = u;
        expect(portable[curve].sharedSecret(s, point)).toBeUndefined();
        expect(node[curve].sharedSecret(s, point)).toBeUndefined();
      }
      expect(node[curve].sharedSecret(s, new Uint8Array(s.length - 1).fill(9))).toBeUndefined();
    }
    for (const curve of ['p256', 'p384'] as const) {
      const s = secretOf(curve, seed);
      const off = portable[curve].publicKey(secretOf(curve, new Uint8Array(64).fill(3)));
      off[off.length - 1] ^= 1;
      expect(portable[curve].sharedSecret(s, off)).toBeUndefined();
      expect(node[curve].sharedSecret(s, off)).toBeUndefined();
      expect(node[curve].sharedSecret(s, off.subarray(1))).toBeUndefined();
    }
  });

  it('X25519 and X448: RFC 7748 §5.2 vectors', () => {
    const x25519 = ['a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4', 'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c', 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552'];
    const x448 = [
      '3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121700a779c984c24f8cdd78fbff44943eba368f54b29259a4f1c600ad3',
      '06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9814dc031ddbdc38c19c6da2583fa5429db94ada18aa7a7fb4ef8a086',
      'ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239fe14fbaadeb445fc66a01b0779d98223961111e21766282f73dd96b6f',
    ];
    for (const [curve, [k, u, out]] of [['x25519', x25519], ['x448', x448]] as const) {
      expect(node[curve].sharedSecret(hex(k), hex(u))).toEqual(hex(out));
      expect(portable[curve].sharedSecret(hex(k), hex(u))).toEqual(hex(out));
    }
  });

  it('AES-CFB: NIST SP 800-38A F.3.13 and F.3.17 (CFB128-AES128/256, first block), and the same as portable for any length', () => {
    const iv = hex('000102030405060708090a0b0c0d0e0f');
    const plain = hex('6bc1bee22e409f96e93d7e117393172a');
    for (const [key, cipher] of [
      ['2b7e151628aed2a6abf7158809cf4f3c', '3b3fd92eb72dad20333449f8e83cfb4a'],
      ['603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4', 'dc7e84bfda79164b7ecd8486985d3860'],
    ]) {
      expect(node.aesCfb(hex(key), iv, plain, 'encrypt')).toEqual(hex(cipher));
      expect(node.aesCfb(hex(key), iv, hex(cipher), 'decrypt')).toEqual(plain);
    }
    fc.assert(
      fc.property(fc.constantFrom(16, 32), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ maxLength: 100 }), (keyLength, key, iv, data) => {
        const k = key.subarray(0, keyLength);
        const sealed = node.aesCfb(k, iv, data, 'encrypt');
        expect(sealed).toEqual(portable.aesCfb(k, iv, data, 'encrypt'));
        expect(node.aesCfb(k, iv, sealed, 'decrypt')).toEqual(data);
        expect(portable.aesCfb(k, iv, sealed, 'decrypt')).toEqual(data);
      }),
      { numRuns: 50 },
    );
  });
});
