// KEM mode end to end in memory (bzrtp's layout, kem-mode.ts): Vouch ↔ Vouch agrees X1M1 by
// default with S512 and AES3, message lengths and hvi as bzrtp builds them, multistream keyed from
// the hybrid session, a classic-only peer gets a classic agreement, a bad pk ends in Error 0x61.
import { describe, it, expect } from 'vitest';
import { makeEngine, runPair, seededRandom, seededUnit } from './test-support';
import type { RunResult } from './test-support';
import { MemoryZrtpCache } from './cache';
import { encodePacket, parsePacket } from './packet';
import { isFragment, parseFragment } from './fragment';
import { decodeMessage } from './messages';
import type { Commit, Hello } from './messages';
import { messageType } from './messages/codec';
import { concatBytes, toHex } from './bytes';
import { HASH_SUITES, SUPPORTED } from './algorithms';
import type { AlgorithmPreferences } from './algorithms';
import { kems } from './key-agreement/kem';
import { portableZrtpPrimitives } from './portable';
import { KEM_PUBLIC_KEY_LENGTH, decodeCommit, encodeCommit } from './messages/commit';
import fc from 'fast-check';
import type { ZrtpEvent, ZrtpSecure } from './session-events';

const KEMS = kems(portableZrtpPrimitives);

const secureOf = (events: ZrtpEvent[]) => events.find((e): e is ZrtpSecure => e.type === 'secure');
const keyHex = (k: ZrtpSecure['keys']['local']) => toHex(k.masterKey) + toHex(k.masterSalt);

function agreed(r: RunResult): [ZrtpSecure, ZrtpSecure] {
  const [a, b] = [secureOf(r.a), secureOf(r.b)];
  expect(a, JSON.stringify(r.a.map((e) => e.type))).toBeDefined();
  expect(b, JSON.stringify(r.b.map((e) => e.type))).toBeDefined();
  const [sa, sb] = [a as ZrtpSecure, b as ZrtpSecure];
  expect(sa.sas).toBe(sb.sas);
  expect(keyHex(sa.keys.local)).toBe(keyHex(sb.keys.remote));
  expect(keyHex(sa.keys.remote)).toBe(keyHex(sb.keys.local));
  expect(keyHex(sa.keys.local)).not.toBe(keyHex(sa.keys.remote));
  return [sa, sb];
}

/** The messages each side sent, by type, in order. */
function sent(r: RunResult, to: 'a' | 'b'): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const i of r.inputs) {
    if (i.to !== to) continue;
    const p = parsePacket(i.packet);
    if (p.ok) out.set((messageType(p.packet.message) ?? '?').trim(), p.packet.message);
  }
  return out;
}

describe('KEM mode X1M1 (bzrtp layout)', () => {
  it('is what two Vouch ends agree by default: X1M1, S512, AES3, equal SAS and mirrored SRTP keys', () => {
    const [sa] = agreed(runPair(makeEngine('kem-a'), makeEngine('kem-b', { passive: true })));
    expect([sa.keyAgreement, sa.hash, sa.cipher]).toEqual(['X1M1', 'S512', 'AES3']);
  });

  it('Commit carries pk after hvi (offset 108), DHPart1 the cipher text, DHPart2 a 16-byte nonce; hvi = H(DHPart2 || responder Hello)', () => {
    const r = runPair(makeEngine('lay-a'), makeEngine('lay-b', { passive: true }));
    agreed(r);
    const toB = sent(r, 'b'); // a is the initiator (b is passive)
    const toA = sent(r, 'a');
    const commit = toB.get('Commit') as Uint8Array;
    const dhPart1 = toA.get('DHPart1') as Uint8Array;
    const dhPart2 = toB.get('DHPart2') as Uint8Array;
    expect([commit.length, dhPart1.length, dhPart2.length]).toEqual([84 + 32 + 832, 84 + 800, 84 + 16]);
    expect(KEM_PUBLIC_KEY_LENGTH.X1M1).toBe(KEMS.X1M1.publicKeyLength);
    expect(KEM_PUBLIC_KEY_LENGTH.MLK2).toBe(KEMS.MLK2.publicKeyLength);
    expect(KEM_PUBLIC_KEY_LENGTH.X3M3).toBe(KEMS.X3M3.publicKeyLength);
    const decoded = decodeMessage(commit);
    const c = (decoded.ok && decoded.message.type === 'Commit' ? decoded.message.commit : undefined) as Commit;
    expect(c.keyAgreement).toBe('X1M1');
    expect(toHex(commit.subarray(108, 108 + 832))).toBe(toHex(c.pk as Uint8Array));
    const responderHello = toA.get('Hello') as Uint8Array;
    const decodedHello = decodeMessage(responderHello);
    expect(decodedHello.ok && (decodedHello.message as { hello: Hello }).hello.keyAgreements[0]).toBe('X1M1');
    expect(toHex(c.hvi as Uint8Array)).toBe(toHex(HASH_SUITES.S512.hash(concatBytes(dhPart2, responderHello)).slice(0, 32)));
  });

  it('keys a multistream video stream from the hybrid session (Mult with S512, same SAS)', () => {
    const [cacheA, cacheB] = [new MemoryZrtpCache(), new MemoryZrtpCache()];
    const [zidA, zidB] = [seededRandom('kms-a')(12), seededRandom('kms-b')(12)];
    const a = makeEngine('kms-a', { zid: zidA, cache: cacheA });
    const b = makeEngine('kms-b', { zid: zidB, cache: cacheB });
    const [first] = agreed(runPair(a, b));
    expect(first.keyAgreement).toBe('X1M1');
    const a2 = makeEngine('kms-a2', { zid: zidA, cache: cacheA, multistream: a.multistreamParent() });
    const b2 = makeEngine('kms-b2', { zid: zidB, cache: cacheB, multistream: b.multistreamParent() });
    const [second] = agreed(runPair(a2, b2));
    expect([second.keyAgreement, second.hash, second.sas]).toEqual(['Mult', 'S512', first.sas]);
  });

  it('a classic-only peer (X255 first, like Linphone 5.1) gets X255 from either side', () => {
    const classic: AlgorithmPreferences = { ...SUPPORTED, hashes: ['S256', 'S384'], keyAgreements: ['X255', 'EC25', 'DH3k', 'Mult'] };
    for (const passiveSide of ['a', 'b'] as const) {
      const a = makeEngine(`cl-a-${passiveSide}`, { passive: passiveSide === 'a' });
      const b = makeEngine(`cl-b-${passiveSide}`, { preferences: classic, passive: passiveSide === 'b' });
      const [sa] = agreed(runPair(a, b));
      expect([sa.keyAgreement, sa.hash]).toEqual(['X255', 'S256']);
    }
  });

  it('both PQ, different first choices (X3M3 vs X1M1): the lower bzrtp ID (X1M1) wins on both sides, no stalled contention', () => {
    const x3 = { ...SUPPORTED, keyAgreements: ['X3M3', 'X1M1', 'Mult'] } as AlgorithmPreferences;
    const [sa] = agreed(runPair(makeEngine('mix-a', { preferences: x3 }), makeEngine('mix-b')));
    expect(sa.keyAgreement).toBe('X1M1');
  });

  it('MLK2 alone agrees too', () => {
    const mlk2 = { ...SUPPORTED, keyAgreements: ['MLK2', 'Mult'] } as AlgorithmPreferences;
    const [sa] = agreed(runPair(makeEngine('m2-a', { preferences: mlk2 }), makeEngine('m2-b', { preferences: mlk2 })));
    expect([sa.keyAgreement, sa.hash]).toEqual(['MLK2', 'S512']);
  });

  it('completes under 20 % loss with reordering (seeded)', () => {
    for (let seed = 0; seed < 5; seed++) {
      const lose = seededUnit(`kl-${seed}`);
      const jitter = seededUnit(`kj-${seed}`);
      const r = runPair(makeEngine(`kl-a${seed}`), makeEngine(`kl-b${seed}`), { filter: (d) => (lose() < 0.2 ? [] : [d.packet]), delay: () => 1 + Math.floor(jitter() * 30) });
      expect(agreed(r)[0].keyAgreement).toBe('X1M1');
    }
  });

  it('a Commit whose X25519 pk is a small-order point: dropped once, Error 0x61 when the same bytes come again', () => {
    const r = runPair(makeEngine('bad-a'), makeEngine('bad-b', { passive: true }), {
      filter: (d) => {
        const p = parsePacket(d.packet);
        if (!p.ok || messageType(p.packet.message) !== 'Commit  ') return [d.packet];
        const m = p.packet.message.slice();
        m.fill(0, 108, 108 + 32);
        return [encodePacket(p.packet.sequence, p.packet.ssrc, m)];
      },
      limit: 20_000,
    });
    expect(r.b).toContainEqual({ type: 'rejected', message: 'Commit', reason: 'bad KEM public key' });
    expect(r.b.some((e) => e.type === 'error' && e.code === 0x61 && !e.sentByPeer)).toBe(true);
    expect(secureOf(r.a)).toBeUndefined();
  });

  it('X3M3 fragmented at the default MTU: fragments reordered and one lost, the retransmission recovers', () => {
    const x3 = { ...SUPPORTED, keyAgreements: ['X3M3', 'Mult'] } as AlgorithmPreferences;
    let lost: number | undefined;
    const seen = new Map<string, number>();
    const r = runPair(makeEngine('x3-a', { preferences: x3 }), makeEngine('x3-b', { preferences: x3, passive: true }), {
      filter: (d) => {
        if (!isFragment(d.packet)) return [d.packet];
        const f = parseFragment(d.packet);
        if (f.ok) seen.set(`${d.from}-${f.fragment.messageId}-${f.fragment.offset}`, (seen.get(`${d.from}-${f.fragment.messageId}-${f.fragment.offset}`) ?? 0) + 1);
        if (lost === undefined) {
          lost = d.index;
          return [];
        }
        return [d.packet];
      },
      // Packets of one burst get falling delays, so every message's fragments arrive last first.
      delay: (d) => (isFragment(d.packet) ? 30 - (d.index % 20) : 1),
    });
    const [sa] = agreed(r);
    expect([sa.keyAgreement, sa.hash, sa.cipher]).toEqual(['X3M3', 'S512', 'AES3']);
    // The Commit (1740 bytes) and DHPart1 (1708) went in 2 fragments each; the lost one was sent again.
    expect(lost).toBeDefined();
    expect(seen.size).toBeGreaterThanOrEqual(4);
    expect(Math.max(...seen.values())).toBeGreaterThanOrEqual(2);
    expect(r.inputs.every((i) => i.packet.length <= 1452)).toBe(true);
  });

  it('KEM Commit: encode/decode round trip for any pk, and a length that does not match its KEM is refused (property)', () => {
    const h1 = seededRandom('commit-h1')(32);
    fc.assert(
      fc.property(fc.constantFrom('X1M1', 'MLK2', 'X3M3'), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 0, max: 255 }), (ka, hvi, fill) => {
        const pk = new Uint8Array(KEM_PUBLIC_KEY_LENGTH[ka]).fill(fill);
        const fields = { h2: new Uint8Array(32), zid: new Uint8Array(12), hash: 'S512', cipher: 'AES3', authTag: 'HS80', keyAgreement: ka, sas: 'B32', hvi, pk };
        const raw = encodeCommit(fields, h1);
        expect(raw.length).toBe(84 + 32 + KEM_PUBLIC_KEY_LENGTH[ka]);
        const d = decodeCommit(raw);
        expect(d.ok && [toHex(d.message.hvi as Uint8Array), toHex(d.message.pk as Uint8Array)]).toEqual([toHex(hvi), toHex(pk)]);
        const short = raw.slice(0, raw.length - 4);
        short[3] -= 1;
        expect(decodeCommit(short).ok).toBe(false);
      }),
      { numRuns: 30 },
    );
  });
});
