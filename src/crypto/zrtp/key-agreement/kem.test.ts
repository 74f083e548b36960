// bzrtp's KEM vectors, verbatim: linphone-sdk postquantumcryptoengine/tester/KEM_patterns.cc,
// converted byte for byte to hex in kem-patterns.vectors.json. Each pattern is {sk, ct, ss} and
// bzrtp's tester (tester/crypto.cc) checks decaps(ct, sk) == ss; the hybrids use SHA-256
// (…Sha256Pattern) or the hash their name gives.
import { describe, it, expect } from 'vitest';
import { kems, ML_KEM_512, ML_KEM_768, ML_KEM_1024, x25519Kem, x448Kem } from './kem';
import { portableZrtpPrimitives } from '../portable';
import type { KemHashName } from './kem';
import vectors from './kem-patterns.vectors.json';
import { fromHex } from '../bytes';
import { seededRandom } from '../test-support';

const KEMS = kems(portableZrtpPrimitives);
const X25519_KEM = x25519Kem(portableZrtpPrimitives);
const X448_KEM = x448Kem(portableZrtpPrimitives);

type Pattern = { sk: string; ct: string; ss: string; pk?: string };
const hex = (h: string) => fromHex(h) as Uint8Array;
const pattern = (name: keyof typeof vectors) => vectors[name] as Pattern;

describe('ECDH-KEM (bzrtp K25519/K448 secretDerivation)', () => {
  it('X25519Sha256Pattern: decaps gives ss, and the sk gives the pattern pk', () => {
    const p = pattern('X25519Sha256Pattern');
    expect(X25519_KEM.decapsulate(hex(p.ct), hex(p.sk), 'S256')).toEqual(hex(p.ss));
    expect(X25519_KEM.generate(() => hex(p.sk)).publicKey).toEqual(hex(p.pk as string));
  });
  it('X448Sha512Pattern', () => {
    const p = pattern('X448Sha512Pattern');
    expect(X448_KEM.decapsulate(hex(p.ct), hex(p.sk), 'S512')).toEqual(hex(p.ss));
  });
});

describe('ML-KEM (FIPS 203) via noble', () => {
  for (const [name, kem] of [['MLKEM512Pattern', ML_KEM_512], ['MLKEM768Pattern', ML_KEM_768], ['MLKEM1024Pattern', ML_KEM_1024]] as const) {
    it(name, () => {
      const p = pattern(name);
      expect(kem.decapsulate(hex(p.ct), hex(p.sk), 'S256')).toEqual(hex(p.ss));
    });
  }
});

describe('hybrid combiner KEMResult (bzrtp HYBRID_KEM, nestedDualPrf)', () => {
  it('hybridX25519Mlkem512Sha256Pattern (X1M1)', () => {
    const p = pattern('hybridX25519Mlkem512Sha256Pattern');
    expect(KEMS.X1M1.decapsulate(hex(p.ct), hex(p.sk), 'S256')).toEqual(hex(p.ss));
  });
  for (const h of ['S256', 'S384', 'S512'] as const) {
    it(`hybridX448Mlkem1024Sha${h.slice(1)}Pattern (X3M3)`, () => {
      const p = pattern(`hybridX448Mlkem1024Sha${h.slice(1)}Pattern` as keyof typeof vectors);
      expect(KEMS.X3M3.decapsulate(hex(p.ct), hex(p.sk), h as KemHashName)).toEqual(hex(p.ss));
    });
  }
  it('a flipped bit in the X25519 part of ct changes KEMResult', () => {
    const p = pattern('hybridX25519Mlkem512Sha256Pattern');
    const ct = hex(p.ct);
    ct[0] ^= 1;
    expect(KEMS.X1M1.decapsulate(ct, hex(p.sk), 'S256')).not.toEqual(hex(p.ss));
  });
});

describe('KEM round trips', () => {
  for (const kem of Object.values(KEMS)) {
    it(`${kem.name}: encapsulate/decapsulate agree with S512, lengths as bzrtp's`, () => {
      const random = seededRandom(`kem-${kem.name}`);
      const pair = kem.generate(random);
      expect(pair.publicKey).toHaveLength(kem.publicKeyLength);
      const enc = kem.encapsulate(pair.publicKey, 'S512', random);
      expect(enc?.cipherText).toHaveLength(kem.cipherTextLength);
      expect(kem.decapsulate(enc!.cipherText, pair.secretKey, 'S512')).toEqual(enc!.sharedSecret);
      expect(kem.encapsulate(pair.publicKey.slice(1), 'S512', random)).toBeUndefined();
      expect(kem.decapsulate(enc!.cipherText.slice(1), pair.secretKey, 'S512')).toBeUndefined();
    });
  }
  it('X1M1: pk 832 bytes, ct 800, KEMResult 64 bytes with S512', () => {
    const random = seededRandom('x1m1-sizes');
    const pair = KEMS.X1M1.generate(random);
    expect([KEMS.X1M1.publicKeyLength, KEMS.X1M1.cipherTextLength]).toEqual([832, 800]);
    expect(KEMS.X1M1.encapsulate(pair.publicKey, 'S512', random)?.sharedSecret).toHaveLength(64);
  });
  it('a small-order X25519 public key is refused', () => {
    const random = seededRandom('x1m1-bad');
    const pair = KEMS.X1M1.generate(random);
    const pk = pair.publicKey.slice();
    pk.fill(0, 0, 32);
    expect(KEMS.X1M1.encapsulate(pk, 'S512', random)).toBeUndefined();
  });
});
