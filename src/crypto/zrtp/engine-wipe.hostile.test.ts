// Issue 16, "Keys outlive their use": the engine wipes each secret once it has no further use, as
// bzrtp does: the DH private key after the shared secret, the Confirm keys and sashash once secure,
// everything else (ZRTPSess, the exported SRTP masters) at dispose. The test keeps references to
// the very buffers the engine held and reads them afterwards.
import { describe, it, expect } from 'vitest';
import { makeEngine, runPair, seededRandom } from './test-support';
import { MemoryZrtpCache } from './cache';
import type { ZrtpEngine } from './engine';
import type { ZrtpEvent, ZrtpSecure } from './session-events';
import type { DhKeyAgreementName } from './algorithms';

const secureOf = (events: ZrtpEvent[]) => events.find((e): e is ZrtpSecure => e.type === 'secure');
const isZero = (b: Uint8Array) => b.every((x) => x === 0);
const exported = (s: ZrtpSecure) => [s.keys.local.masterKey, s.keys.local.masterSalt, s.keys.remote.masterKey, s.keys.remote.masterSalt];

/** Runs a handshake and collects every secret buffer each engine held at any packet it sent. */
function handshake(a: ZrtpEngine, b: ZrtpEngine) {
  const seen = { a: new Set<Uint8Array>(), b: new Set<Uint8Array>() };
  const sample = () => {
    for (const x of a.heldSecrets()) seen.a.add(x);
    for (const x of b.heldSecrets()) seen.b.add(x);
  };
  sample();
  const r = runPair(a, b, {
    filter: (d) => {
      sample();
      return [d.packet];
    },
  });
  sample();
  return { r, seen };
}

describe('ZrtpEngine wipes its secrets (issue 16)', () => {
  for (const ka of ['X255', 'EC25', 'DH3k'] as DhKeyAgreementName[]) {
    it(`${ka}: the DH private key, Confirm keys and sashash are zero once secure; ZRTPSess and the SRTP masters at dispose`, () => {
      const preferences = { hashes: ['S256' as const], ciphers: ['AES1' as const], authTags: ['HS80' as const], keyAgreements: [ka, 'Mult' as const], sasTypes: ['B32' as const] };
      const a = makeEngine(`wipe-a-${ka}`, { preferences });
      const b = makeEngine(`wipe-b-${ka}`, { preferences });
      const dhSecrets = [...a.heldSecrets(), ...b.heldSecrets()];
      expect(dhSecrets.length).toBe(2);
      expect(dhSecrets.some(isZero)).toBe(false);
      const { r, seen } = handshake(a, b);
      const sa = secureOf(r.a) as ZrtpSecure;
      const sb = secureOf(r.b) as ZrtpSecure;
      expect(sa.sas).toBe(sb.sas);

      // Secure: the key pairs went with the shared secret; what is still held is ZRTPSess and the
      // four SRTP masters the worker has yet to consume, nothing else.
      for (const secret of dhSecrets) expect(isZero(secret)).toBe(true);
      for (const [engine, s, all] of [[a, sa, seen.a], [b, sb, seen.b]] as const) {
        const held = engine.heldSecrets();
        expect(held.length).toBe(5);
        expect(held).toContain(engine.multistreamParent()?.zrtpSess);
        for (const k of exported(s)) expect(held).toContain(k);
        // Everything else the engine ever held (mackeys, zrtpkeys, sashash, the next rs1) is zero.
        const gone = [...all].filter((x) => !held.includes(x));
        expect(gone.length).toBeGreaterThanOrEqual(6);
        for (const x of gone) expect(isZero(x)).toBe(true);
      }

      const kept = [...a.heldSecrets(), ...b.heldSecrets()];
      a.dispose();
      b.dispose();
      for (const x of [...kept, ...exported(sa), ...exported(sb)]) expect(isZero(x)).toBe(true);
      expect(a.heldSecrets()).toEqual([]);
      expect(a.multistreamParent()).toBeUndefined();
      // A disposed session answers nothing.
      expect(a.tick(1e9).packets).toEqual([]);
    });
  }

  it('the cache keeps its own copy of the new rs1 (persisted), while the session copy is wiped', () => {
    const cacheA = new MemoryZrtpCache();
    const zidB = seededRandom('wipe-zid-b')(12);
    const a = makeEngine('wipe-cache-a', { cache: cacheA });
    const b = makeEngine('wipe-cache-b', { zid: zidB });
    handshake(a, b);
    a.dispose();
    const rs1 = cacheA.get(zidB)?.rs1;
    expect(rs1?.length).toBe(32);
    expect(isZero(rs1 as Uint8Array)).toBe(false);
  });

  it('multistream: a stream added later still derives from ZRTPSess, and disposing both wipes both', () => {
    const zidA = seededRandom('wipe-ms-a')(12);
    const zidB = seededRandom('wipe-ms-b')(12);
    const a = makeEngine('wipe-ms-a', { zid: zidA });
    const b = makeEngine('wipe-ms-b', { zid: zidB });
    const first = handshake(a, b);
    const zrtpSess = a.multistreamParent()!.zrtpSess;
    const a2 = makeEngine('wipe-ms-a2', { zid: zidA, multistream: a.multistreamParent() });
    const b2 = makeEngine('wipe-ms-b2', { zid: zidB, multistream: b.multistreamParent() });
    const second = handshake(a2, b2);
    const s2 = secureOf(second.r.a) as ZrtpSecure;
    expect(s2.keyAgreement).toBe('Mult');
    expect(s2.sas).toBe((secureOf(first.r.a) as ZrtpSecure).sas);
    // Children first (their keys hang off the parent's ZRTPSess), as the worker closes video first.
    const childKeys = [...a2.heldSecrets(), ...exported(s2)];
    a2.dispose();
    b2.dispose();
    for (const x of childKeys) expect(isZero(x)).toBe(true);
    expect(isZero(zrtpSess)).toBe(false);
    a.dispose();
    b.dispose();
    expect(isZero(zrtpSess)).toBe(true);
  });
});
