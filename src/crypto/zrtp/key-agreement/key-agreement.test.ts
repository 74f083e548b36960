import { describe, it, expect } from 'vitest';
import { keyAgreements } from './index';
import { portableZrtpPrimitives } from '../portable';

const KEY_AGREEMENTS = keyAgreements(portableZrtpPrimitives);
import { P_2048, P_3072 } from './modp';
import { seededRandom } from '../test-support';

describe('key agreements (RFC 6189 §5.1.5)', () => {
  for (const ka of Object.values(KEY_AGREEMENTS)) {
    it(`${ka.name}: both sides agree, pv has the RFC length`, () => {
      const random = seededRandom(`ka-${ka.name}`);
      const a = ka.generate(random);
      const b = ka.generate(random);
      expect(a.publicValue).toHaveLength(ka.publicValueLength);
      expect(ka.agree(a.secret, b.publicValue)).toEqual(ka.agree(b.secret, a.publicValue));
      expect(ka.agree(a.secret, b.publicValue.slice(1))).toBeUndefined();
    });
  }

  it('DH3k and DH2k reject pv = 0, 1 and p-1 (§4.4.1.1, Error 0x61)', () => {
    const bytes = (v: bigint, n: number) => Uint8Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * (n - 1 - i))) & 0xffn));
    for (const [ka, p] of [[KEY_AGREEMENTS.DH3k, P_3072], [KEY_AGREEMENTS.DH2k, P_2048]] as const) {
      const secret = seededRandom('dh-bad')(32);
      const n = ka.publicValueLength;
      for (const bad of [0n, 1n, p - 1n, p]) expect(ka.agree(secret, bytes(bad, n))).toBeUndefined();
      expect(ka.agree(secret, bytes(2n, n))).toBeDefined();
    }
  });

  it('EC25/EC38 reject a point that is not on the curve, X255 a small-order point', () => {
    const random = seededRandom('ec-bad');
    for (const ka of [KEY_AGREEMENTS.EC25, KEY_AGREEMENTS.EC38]) {
      const a = ka.generate(random);
      const off = ka.generate(random).publicValue.slice();
      off[off.length - 1] ^= 1;
      expect(ka.agree(a.secret, off)).toBeUndefined();
    }
    // u = 0 is of small order: X25519 gives the all-zero output, which must not be used.
    expect(KEY_AGREEMENTS.X255.agree(random(32), new Uint8Array(32))).toBeUndefined();
  });
});
