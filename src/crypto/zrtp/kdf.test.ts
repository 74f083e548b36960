import { describe, it, expect } from 'vitest';
import { deriveSessionKeys, kdf, s0Dh, sessionKeysFromS0 } from './kdf';
import { HASH_SUITES } from './algorithms';
import { fromHex, toHex } from './bytes';
import vectors from './kdf.vectors.json';

describe('KDF (RFC 6189 §4.5.1)', () => {
  // Cross-implementation vectors: bzrtp's test_zrtpKDF, generated with GNU ZRTP C++.
  for (const c of vectors.cases) {
    it(`matches bzrtp/ZRTPCPP for "${c.label}" (${c.lengthBytes} bytes)`, () => {
      const out = kdf(HASH_SUITES.S256, fromHex(vectors.key) as Uint8Array, c.label, fromHex(c.context) as Uint8Array, c.lengthBytes);
      expect(toHex(out)).toBe(c.output.slice(0, c.lengthBytes * 2));
    });
  }

  it('puts L in bits into the input, so lengths give unrelated outputs', () => {
    const key = new Uint8Array(32).fill(1);
    const a = kdf(HASH_SUITES.S256, key, 'SAS', new Uint8Array(8), 16);
    const b = kdf(HASH_SUITES.S256, key, 'SAS', new Uint8Array(8), 32);
    expect(toHex(a)).not.toBe(toHex(b.slice(0, 16)));
  });
});

describe('secrets are wiped once used (bzrtp destroys them too)', () => {
  it('s0 is zero once the session keys are derived from it, and the keys are those of s0', () => {
    const s0 = new Uint8Array(32).fill(0x5a);
    const context = new Uint8Array(56).fill(3);
    const expected = deriveSessionKeys(HASH_SUITES.S256, s0.slice(), context, 16);
    const keys = sessionKeysFromS0(HASH_SUITES.S256, s0, context, 16);
    expect(s0.every((b) => b === 0)).toBe(true);
    expect(toHex(keys.srtpInitiator.masterKey)).toBe(toHex(expected.srtpInitiator.masterKey));
    expect(toHex(keys.zrtpSess)).toBe(toHex(expected.zrtpSess));
  });

  it('s0 in DH mode leaves DHResult and the shared secrets as they were (the caller owns them)', () => {
    const dh = new Uint8Array(32).fill(7);
    const s1 = new Uint8Array(32).fill(9);
    const a = s0Dh(HASH_SUITES.S256, dh, new Uint8Array(56), s1, undefined, undefined);
    expect(dh.every((b) => b === 7) && s1.every((b) => b === 9)).toBe(true);
    expect(toHex(s0Dh(HASH_SUITES.S256, dh, new Uint8Array(56), s1, undefined, undefined))).toBe(toHex(a));
  });
});
