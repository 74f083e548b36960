// Finite-field Diffie-Hellman for DH3k and DH2k (RFC 6189 §5.1.5): the RFC 3526 MODP groups
// (3072-bit group 15, 2048-bit group 14), generator 2, with a 256-bit secret exponent (twice the
// AES-128 key strength, as §5.1.5 asks) so a key pair costs one BigInt modpow.
import type { KeyAgreement, KeyPair } from './types';

/** RFC 3526 §3, 2048-bit MODP group (DH2k). */
export const P_2048 = BigInt(
  '0x' +
  'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd' +
  'ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
  'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f' +
  '83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b' +
  'e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa0510' +
  '15728e5a8aacaa68ffffffffffffffff',
);

/** RFC 3526 §4, 3072-bit MODP group (DH3k). */
export const P_3072 = BigInt(
  '0x' +
  'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd' +
  'ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
  'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f' +
  '83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b' +
  'e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa0510' +
  '15728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7' +
  'abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200c' +
  'bbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff',
);

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function toBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function modp(name: 'DH2k' | 'DH3k', p: bigint, length: number): KeyAgreement {
  return {
    name,
    publicValueLength: length,
    generate(random: (n: number) => Uint8Array): KeyPair {
      const secret = random(32);
      return { secret, publicValue: toBytes(modPow(2n, toBigInt(secret), p), length) };
    },
    agree(secret: Uint8Array, peerPublicValue: Uint8Array): Uint8Array | undefined {
      if (peerPublicValue.length !== length) return undefined;
      const pv = toBigInt(peerPublicValue);
      // §4.4.1.1: reject pv of 0, 1 or p-1 (and anything not below p).
      if (pv <= 1n || pv >= p - 1n) return undefined;
      return toBytes(modPow(pv, toBigInt(secret), p), length);
    },
  };
}

export const DH2K = modp('DH2k', P_2048, 256);
export const DH3K = modp('DH3k', P_3072, 384);
