// The cache expiration interval our Confirm carries (RFC 6189 §4.9, §5.7): from the user's
// lifetime setting to the sealed field, and what a peer does with it.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { buildConfirm } from './key-schedule';
import { CACHE_FOREVER, cacheExpirationFor, openConfirm } from './confirm';
import { portableZrtpPrimitives } from './portable';
import { decodeMessage } from './messages';
import { deriveSessionKeys } from './kdf';
import { HASH_SUITES } from './algorithms';
import { MemoryZrtpCache } from './cache';
import { toHex } from './bytes';
import { makeEngine, runPair, seededRandom } from './test-support';

describe('cacheExpirationFor (a lifetime in seconds, 0 = no limit)', () => {
  it('0 is forever (0xFFFFFFFF); a lifetime is its seconds', () => {
    expect(cacheExpirationFor(0)).toBe(CACHE_FOREVER);
    expect(cacheExpirationFor(3600)).toBe(3600);
    expect(cacheExpirationFor(2 ** 40)).toBe(CACHE_FOREVER - 1);
  });

  it('is always a 32-bit interval, never 0 ("do not cache"), and forever only for no limit', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -10, max: 2 ** 33 }), fc.double()), (seconds) => {
        const field = cacheExpirationFor(seconds);
        expect(Number.isInteger(field) && field >= 1 && field <= CACHE_FOREVER).toBe(true);
        if (Number.isInteger(seconds) && seconds > 0 && seconds < CACHE_FOREVER) expect(field).toBe(seconds);
      }),
    );
  });
});

describe('Confirm cache expiration interval (§5.7)', () => {
  const suite = HASH_SUITES.S256;
  const random = seededRandom('confirm-expiry');
  const keys = deriveSessionKeys(suite, random(32), random(56), 16);
  const h0 = random(32);

  function sealedInterval(message: Uint8Array): number {
    const decoded = decodeMessage(message);
    if (!decoded.ok || decoded.message.type !== 'Confirm') throw new Error('not a Confirm');
    const c = decoded.message.confirm;
    const opened = openConfirm(portableZrtpPrimitives, suite, keys.zrtpkeyr, keys.mackeyr, c.confirmMac, c.iv, c.encrypted);
    if (!opened.ok) throw new Error('Confirm did not open');
    return opened.body.cacheExpiration;
  }

  it('carries the interval it is given, and forever by default', () => {
    expect(sealedInterval(buildConfirm(portableZrtpPrimitives, 1, suite, keys, h0, false, random(16), 3600))).toBe(3600);
    expect(sealedInterval(buildConfirm(portableZrtpPrimitives, 1, suite, keys, h0, false, random(16)))).toBe(CACHE_FOREVER);
  });

  it("reaches the peer from the engine option: an interval of 0 keeps the peer from caching this session's rs1 (§4.9)", () => {
    const cacheA = new MemoryZrtpCache();
    const cacheB = new MemoryZrtpCache();
    const a = makeEngine('expiry-a', { cache: cacheA, cacheExpiration: 0 });
    const b = makeEngine('expiry-b', { cache: cacheB });
    const r = runPair(a, b);
    expect(r.a.some((e) => e.type === 'secure') && r.b.some((e) => e.type === 'secure')).toBe(true);
    // A's Confirm said "do not cache": B keeps nothing; B's said forever: A keeps B's rs1.
    expect(cacheB.entries.size).toBe(0);
    expect([...cacheA.entries.keys()]).toHaveLength(1);
    expect(toHex(cacheA.entries.values().next().value!.rs1!)).toMatch(/^[0-9a-f]{64}$/);
  });
});
