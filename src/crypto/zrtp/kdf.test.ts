import { describe, it, expect } from 'vitest';
import { kdf } from './kdf';
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
