import { describe, it, expect } from 'vitest';
import { makeEngine, runPair, seededRandom, seededUnit } from './test-support';
import type { RunResult } from './test-support';
import { MemoryZrtpCache } from './cache';
import { ZrtpEngine } from './engine';
import { portableZrtpPrimitives } from './portable';
import { encodePacket, parsePacket } from './packet';
import { decodeMessage, encodeError } from './messages';
import { messageType } from './messages/codec';
import { toHex } from './bytes';
import { SUPPORTED } from './algorithms';
import type { AlgorithmPreferences, AuthTagName, CipherName, DhKeyAgreementName, HashName, SasTypeName } from './algorithms';
import type { ZrtpEvent, ZrtpSecure } from './session-events';

const secureOf = (events: ZrtpEvent[]) => events.find((e): e is ZrtpSecure => e.type === 'secure');
const hex = (s: ZrtpSecure | undefined) => s && { local: toHex(s.keys.local.masterKey) + toHex(s.keys.local.masterSalt), remote: toHex(s.keys.remote.masterKey) + toHex(s.keys.remote.masterSalt) };

function expectAgreement(r: RunResult): [ZrtpSecure, ZrtpSecure] {
  const a = secureOf(r.a);
  const b = secureOf(r.b);
  expect(a, JSON.stringify(r.a.map((e) => e.type))).toBeDefined();
  expect(b, JSON.stringify(r.b.map((e) => e.type))).toBeDefined();
  const [sa, sb] = [a as ZrtpSecure, b as ZrtpSecure];
  expect(sa.sas).toBe(sb.sas);
  expect(hex(sa)?.local).toBe(hex(sb)?.remote);
  expect(hex(sa)?.remote).toBe(hex(sb)?.local);
  expect(hex(sa)?.local).not.toBe(hex(sa)?.remote);
  expect(new Set([sa.role, sb.role])).toEqual(new Set(['initiator', 'responder']));
  return [sa, sb];
}

const typeOf = (packet: Uint8Array) => {
  const p = parsePacket(packet);
  return p.ok ? (messageType(p.packet.message) ?? '?').trim() : 'bad';
};

describe('ZrtpEngine handshake in memory', () => {
  const kas: DhKeyAgreementName[] = ['X255', 'EC25', 'EC38', 'DH3k', 'DH2k'];
  const combos: [DhKeyAgreementName, HashName, CipherName, AuthTagName, SasTypeName][] = [];
  for (const ka of kas)
    for (const hash of SUPPORTED.hashes)
      for (const cipher of SUPPORTED.ciphers)
        for (const auth of SUPPORTED.authTags)
          for (const sas of SUPPORTED.sasTypes) {
            // §5.1.5: EC38 goes with a 384-bit hash and AES-256.
            if (ka === 'EC38' && (hash !== 'S384' || cipher !== 'AES3')) continue;
            combos.push([ka, hash, cipher, auth, sas]);
          }

  it.each(combos)('%s %s %s %s %s: both sides derive equal keys and SAS', (ka, hash, cipher, authTag, sas) => {
    const preferences: AlgorithmPreferences = { hashes: [hash], ciphers: [cipher], authTags: [authTag], keyAgreements: [ka, 'Mult'], sasTypes: [sas] };
    const a = makeEngine(`a-${ka}${hash}${cipher}${authTag}${sas}`, { preferences });
    const b = makeEngine(`b-${ka}${hash}${cipher}${authTag}${sas}`, { preferences });
    const [sa] = expectAgreement(runPair(a, b));
    expect([sa.keyAgreement, sa.hash, sa.cipher, sa.authTag, sa.sasType]).toEqual([ka, hash, cipher, authTag, sas]);
    expect(sa.keys.local.masterKey.length).toBe(cipher === 'AES3' ? 32 : 16);
    expect(sa.keys.local.masterSalt.length).toBe(14);
    expect(sa.sas).toMatch(sas === 'B32' ? /^[ybndrfg8ejkmcpqxot1uwisza345h769]{4}$/ : /^[A-Za-z-]+ [A-Za-z-]+$/);
  });

  it('prefers X1M1 (then X255) and settles EC38 on S512 (else S384) + AES3 when offered, as bzrtp does', () => {
    const [sa] = expectAgreement(runPair(makeEngine('p1'), makeEngine('p2')));
    expect(sa.keyAgreement).toBe('X1M1');
    const classic: AlgorithmPreferences = { ...SUPPORTED, keyAgreements: SUPPORTED.keyAgreements.filter((k) => k !== 'X1M1') };
    const [sx] = expectAgreement(runPair(makeEngine('p1c', { preferences: classic }), makeEngine('p2c', { preferences: classic })));
    expect(sx.keyAgreement).toBe('X255');
    const ec38: AlgorithmPreferences = { ...SUPPORTED, keyAgreements: ['EC38', 'Mult'] };
    const [se] = expectAgreement(runPair(makeEngine('p3', { preferences: ec38 }), makeEngine('p4', { preferences: ec38 })));
    expect([se.keyAgreement, se.hash, se.cipher]).toEqual(['EC38', 'S512', 'AES3']);
    const ec38NoS512: AlgorithmPreferences = { ...ec38, hashes: ['S256', 'S384'] };
    const [s384] = expectAgreement(runPair(makeEngine('p5', { preferences: ec38NoS512 }), makeEngine('p6', { preferences: ec38 })));
    expect([s384.keyAgreement, s384.hash, s384.cipher]).toEqual(['EC38', 'S384', 'AES3']);
  });

  it('replays deterministically with a fixed clock and RNG', () => {
    const run = () => {
      const r = runPair(makeEngine('det-a'), makeEngine('det-b'));
      return { packets: r.inputs.map((i) => toHex(i.packet)), a: hex(secureOf(r.a)), sas: secureOf(r.a)?.sas };
    };
    expect(run()).toEqual(run());
  });

  it('reports the peer ZID and takes the Hello hash from signalling', () => {
    const a = makeEngine('hh-a');
    const b = makeEngine('hh-b');
    a.setPeerHelloHash(b.helloHash());
    b.setPeerHelloHash('1.10 ' + '00'.repeat(32));
    const r = runPair(a, b);
    const [sa, sb] = expectAgreement(r);
    expect(sa.helloHashMatched).toBe(true);
    expect(sb.helloHashMatched).toBe(false);
    expect(r.b.some((e) => e.type === 'helloHashMismatch')).toBe(true);
    expect(r.a.some((e) => e.type === 'helloHashMismatch')).toBe(false);
    expect(a.helloHash()).toMatch(/^1\.10 [0-9a-f]{64}$/);
    const peer = r.a.find((e) => e.type === 'peerZid');
    expect(peer && peer.type === 'peerZid' && toHex(peer.peerZid)).toBe(toHex(sa.peerZid));
  });
});

describe('between two NATs (§4.1 discovery)', () => {
  it("answers the peer's first Hello with HelloACK and its own Hello at once, not on the next T1", () => {
    const a = makeEngine('nat-a');
    const b = makeEngine('nat-b');
    a.start(0); // a's first Hello is dropped by b's router: nothing of b's has gone out yet
    const bHello = b.start(0).packets;
    expect(bHello.map(typeOf)).toEqual(['Hello']);
    const reply = a.input(bHello[0], 1).packets.map(typeOf);
    expect(reply).toEqual(['HelloACK', 'Hello']);
  });

  it('does not repeat its Hello once the peer acknowledged it', () => {
    const a = makeEngine('nat-c');
    const b = makeEngine('nat-d');
    const aHello = a.start(0).packets;
    const bHello = b.start(0).packets;
    const fromB = b.input(aHello[0], 1).packets;
    expect(fromB.map(typeOf)).toEqual(['HelloACK', 'Hello']);
    expect(a.input(fromB[0], 2).packets).toEqual([]); // the HelloACK alone: acked, no peer Hello yet
    expect(a.input(bHello[0], 3).packets.map(typeOf)).toEqual(['HelloACK', 'Commit']);
  });
});

describe('auxiliary secret (§4.3)', () => {
  it('mixes a shared aux secret into s0 and ignores a mismatched one', () => {
    const aux = new TextEncoder().encode('from signalling');
    const zids = { zid: seededRandom('aux-zid-a')(12) };
    const zidsB = { zid: seededRandom('aux-zid-b')(12) };
    const [plain] = expectAgreement(runPair(makeEngine('aux-a', zids), makeEngine('aux-b', zidsB)));
    const [mixed] = expectAgreement(runPair(makeEngine('aux-a', { ...zids, auxSecret: aux }), makeEngine('aux-b', { ...zidsB, auxSecret: aux })));
    const [mismatch] = expectAgreement(runPair(makeEngine('aux-a', { ...zids, auxSecret: aux }), makeEngine('aux-b', { ...zidsB, auxSecret: new Uint8Array(4) })));
    // expectAgreement held in all three runs: a side that mixed in s2 alone would disagree.
    expect(new Set([hex(plain)?.local, hex(mixed)?.local, hex(mismatch)?.local]).size).toBe(3);
  });
});

describe('commit contention (§4.2)', () => {
  it('the Commit with the higher hvi wins when both commit at once', () => {
    const r = runPair(makeEngine('cc-a'), makeEngine('cc-b'));
    const [sa, sb] = expectAgreement(r);
    const commits = r.inputs.filter((i) => typeOf(i.packet) === 'Commit');
    const hviFrom = (to: 'a' | 'b') => {
      const c = commits.find((i) => i.to === to);
      const p = c && parsePacket(c.packet);
      const m = p && p.ok ? decodeMessage(p.packet.message) : undefined;
      return m && m.ok && m.message.type === 'Commit' ? toHex(m.message.commit.hvi as Uint8Array) : '';
    };
    // Both sent a Commit, so both received one.
    const hviOfA = hviFrom('b');
    const hviOfB = hviFrom('a');
    expect(hviOfA && hviOfB).toBeTruthy();
    const winner = hviOfA > hviOfB ? 'a' : 'b';
    expect((winner === 'a' ? sa : sb).role).toBe('initiator');
  });

  it('a passive endpoint never commits and answers as responder', () => {
    const r = runPair(makeEngine('pa'), makeEngine('pb', { passive: true }));
    const [sa, sb] = expectAgreement(r);
    expect([sa.role, sb.role]).toEqual(['initiator', 'responder']);
    expect(r.inputs.filter((i) => i.to === 'a' && typeOf(i.packet) === 'Commit')).toHaveLength(0);
  });
});

describe('loss, duplication and reordering', () => {
  const TYPES = ['Hello', 'HelloACK', 'Commit', 'DHPart1', 'DHPart2', 'Confirm1', 'Confirm2', 'Conf2ACK'];
  for (const type of TYPES) {
    it(`completes when the first ${type} of each side is lost`, () => {
      const dropped = new Set<string>();
      const r = runPair(makeEngine(`loss-${type}-a`), makeEngine(`loss-${type}-b`, { passive: true }), {
        filter: (d) => {
          const key = `${d.from}-${typeOf(d.packet)}`;
          if (typeOf(d.packet) === type && !dropped.has(key)) {
            dropped.add(key);
            return [];
          }
          return [d.packet];
        },
      });
      expect(dropped.size).toBeGreaterThan(0);
      expectAgreement(r);
      // T2's 10 retransmissions (150 ms doubling to 1.2 s) bound any single recovery well under 15 s.
      expect(r.time).toBeLessThan(15_000);
    });
  }

  it('completes with 20 % random loss (seeded) within the timer limits', () => {
    for (let seed = 0; seed < 10; seed++) {
      const lose = seededUnit(`loss-${seed}`);
      const r = runPair(makeEngine(`rl-a${seed}`), makeEngine(`rl-b${seed}`), { filter: (d) => (lose() < 0.2 ? [] : [d.packet]) });
      expectAgreement(r);
    }
  });

  it('completes when every packet is duplicated and delays reorder them', () => {
    const jitter = seededUnit('jitter');
    const r = runPair(makeEngine('dup-a'), makeEngine('dup-b'), { filter: (d) => [d.packet, d.packet], delay: () => 1 + Math.floor(jitter() * 40) });
    expectAgreement(r);
  });

  it('reports a protocol timeout (0xB0) when the peer goes silent, after T1 or T2 runs out', () => {
    const helloOnly = runPair(makeEngine('silent-a'), makeEngine('silent-b'), { filter: (d) => (d.from === 'b' ? [] : [d.packet]) });
    expect(helloOnly.a).toContainEqual({ type: 'error', code: 0xb0, sentByPeer: false, reason: 'no answer to Hello' });
    // T1: 20 retransmissions at 50, 150, 350, then every 200 ms; the last one also waits 200 ms.
    expect(helloOnly.time).toBe(350 + 17 * 200 + 200);
    let commits = 0;
    const afterCommit = runPair(makeEngine('silent-c'), makeEngine('silent-d', { passive: true }), {
      filter: (d) => (d.from === 'a' && typeOf(d.packet) === 'Commit' ? (commits++, []) : [d.packet]),
    });
    expect(afterCommit.a).toContainEqual({ type: 'error', code: 0xb0, sentByPeer: false, reason: 'no answer to Commit' });
    // The Commit and its 10 retransmissions (T2).
    expect(commits).toBe(11);
  });
});

describe('tampering', () => {
  // Flips one bit in the first message of type `type` sent by `from`, recomputes the CRC and delivers it.
  function tamper(type: string, from: 'a' | 'b', offset: (len: number) => number) {
    let tampered: Uint8Array | undefined;
    const r = runPair(makeEngine(`t-${type}-${from}-a`), makeEngine(`t-${type}-${from}-b`, { passive: true }), {
      filter: (d) => {
        if (tampered || d.from !== from || typeOf(d.packet) !== type) return [d.packet];
        const p = parsePacket(d.packet);
        if (!p.ok) return [d.packet];
        const m = p.packet.message.slice();
        // Flip a bit past the 12-byte message header (the fields the MACs, hash images and hvi protect).
        m[12 + offset(m.length - 12)] ^= 0x10;
        tampered = encodePacket(p.packet.sequence, p.packet.ssrc, m);
        return [tampered];
      },
      limit: 20_000,
    });
    return { r, tampered: tampered as Uint8Array };
  }

  // Where the protocol can first notice a changed bit in each message (RFC 6189 §9, §4.4.1.1, §5.7).
  const checkedAt: Record<string, string[]> = {
    // The version is checked on arrival; everything else once H2 keys the Hello MAC.
    'Hello-a': ['Hello', 'Commit'],
    'Hello-b': ['Hello', 'DHPart1'],
    'Commit-a': ['Commit', 'DHPart2'],
    'DHPart1-b': ['DHPart1', 'Confirm1'],
    'DHPart2-a': ['DHPart2'],
    'Confirm1-b': ['Confirm1'],
    'Confirm2-a': ['Confirm2'],
  };
  for (const key of Object.keys(checkedAt)) {
    const [type, from] = key.split('-') as [string, 'a' | 'b'];
    for (const where of ['first', 'middle', 'last'] as const) {
      it(`a flipped bit in the ${where} field of ${type} from ${from} is caught without a state change`, () => {
        const { r, tampered } = tamper(type, from, (len) => (where === 'first' ? 0 : where === 'middle' ? len >> 1 : len - 1));
        const delivered = r.inputs.find((i) => i.packet === tampered);
        expect(delivered).toBeDefined();
        const parsed = parsePacket(tampered);
        const decodes = parsed.ok && decodeMessage(parsed.packet.message).ok;
        if (!decodes) {
          // The flip broke the message structure: dropped as malformed, nothing else happens.
          expect(delivered?.events).toEqual([]);
          expect(delivered?.after).toBe(delivered?.before);
        } else {
          const rejecting = r.inputs.filter((i) => i.events.some((e) => e.type === 'rejected'));
          expect(rejecting.length).toBeGreaterThan(0);
          for (const i of rejecting) expect(i.after).toBe(i.before);
          expect(checkedAt[key]).toContain(typeOf(rejecting[0].packet));
        }
        const [sa, sb] = [secureOf(r.a), secureOf(r.b)];
        // A request that T2 retransmits may still get through intact; never with diverging keys.
        if (sa && sb) expect(hex(sa)?.local).toBe(hex(sb)?.remote);
        // Failures end as a timeout, or as the §5.9 error of a check the genuine bytes keep failing.
        for (const e of r.a.concat(r.b)) if (e.type === 'error') expect([0xb0, 0x62, 0x70]).toContain(e.code);
      });
    }
  }

  it('a changed DHPart1 public value ends in Error 0x70 on both sides (the keys differ)', () => {
    // Byte 5 of pvr: past the 12-byte header, H1 (32) and the four 8-byte secret IDs.
    const { r } = tamper('DHPart1', 'b', () => 32 + 32 + 5);
    expect(r.a.some((e) => e.type === 'rejected' && e.reason === 'confirm_mac')).toBe(true);
    expect(r.a).toContainEqual(expect.objectContaining({ type: 'error', code: 0x70, sentByPeer: false }));
    expect(r.b).toContainEqual(expect.objectContaining({ type: 'error', code: 0x70, sentByPeer: true }));
    expect(secureOf(r.a)).toBeUndefined();
  });

  it('without a recomputed CRC every flipped bit is dropped as a bad packet', () => {
    const engine = makeEngine('crc-a');
    engine.start(0);
    const other = makeEngine('crc-b');
    const hello = other.start(0).packets[0];
    for (let bit = 0; bit < hello.length * 8; bit += 7) {
      const q = hello.slice();
      q[bit >> 3] ^= 1 << (bit & 7);
      const out = engine.input(q, 1);
      expect(out.packets).toHaveLength(0);
    }
    expect(engine.droppedPackets).toBe(Math.ceil((hello.length * 8) / 7));
    expect(engine.state).toBe('discovery');
  });
});

describe('man in the middle', () => {
  it('a relay with its own DH between two fresh engines yields different SAS', () => {
    const a = makeEngine('mitm-a');
    const b = makeEngine('mitm-b');
    const zidA = seededRandom('engine-mitm-a')(12);
    const zidB = seededRandom('engine-mitm-b')(12);
    // The relay claims each side's ZID towards the other.
    const m1 = makeEngine('mitm-m1', { zid: zidB });
    const m2 = makeEngine('mitm-m2', { zid: zidA });
    const [sa] = expectAgreement(runPair(a, m1));
    const [, sb] = expectAgreement(runPair(m2, b));
    expect(sa.sas).not.toBe(sb.sas);
  });

  it('a relay appearing after a direct call raises cache mismatch on both sides', () => {
    const cacheA = new MemoryZrtpCache();
    const cacheB = new MemoryZrtpCache();
    const zidA = seededRandom('zid-a')(12);
    const zidB = seededRandom('zid-b')(12);
    const direct = runPair(makeEngine('d1a', { zid: zidA, cache: cacheA }), makeEngine('d1b', { zid: zidB, cache: cacheB }));
    expectAgreement(direct);
    const a = makeEngine('d2a', { zid: zidA, cache: cacheA });
    const b = makeEngine('d2b', { zid: zidB, cache: cacheB });
    const ra = runPair(a, makeEngine('d2m1', { zid: zidB }));
    const rb = runPair(makeEngine('d2m2', { zid: zidA }), b);
    expect(ra.a.some((e) => e.type === 'cacheMismatch')).toBe(true);
    expect(rb.b.some((e) => e.type === 'cacheMismatch')).toBe(true);
    expect(secureOf(ra.a)?.cacheMismatch).toBe(true);
    expect(secureOf(rb.b)?.verified).toBe(false);
  });
});

describe('cache across calls (§4.6.1, §4.9)', () => {
  const zidA = seededRandom('cache-zid-a')(12);
  const zidB = seededRandom('cache-zid-b')(12);

  it('moves rs1 to rs2, keeps Verified, and carries the V flag', () => {
    const cacheA = new MemoryZrtpCache();
    const cacheB = new MemoryZrtpCache();
    const a1 = makeEngine('c1a', { zid: zidA, cache: cacheA });
    const b1 = makeEngine('c1b', { zid: zidB, cache: cacheB });
    const [first] = expectAgreement(runPair(a1, b1));
    expect(first.verified).toBe(false);
    const rs1 = cacheA.get(zidB)?.rs1;
    expect(rs1).toBeDefined();
    expect(toHex(rs1 as Uint8Array)).toBe(toHex(cacheB.get(zidA)?.rs1 as Uint8Array));
    a1.setSasVerified(true);
    b1.setSasVerified(true);
    const [second] = expectAgreement(runPair(makeEngine('c2a', { zid: zidA, cache: cacheA }), makeEngine('c2b', { zid: zidB, cache: cacheB })));
    expect(second.cacheMismatch).toBe(false);
    expect(second.verified).toBe(true);
    expect(toHex(cacheA.get(zidB)?.rs2 as Uint8Array)).toBe(toHex(rs1 as Uint8Array));
    expect(toHex(cacheA.get(zidB)?.rs1 as Uint8Array)).not.toBe(toHex(rs1 as Uint8Array));
    expect(cacheA.get(zidB)?.verified).toBe(true);
  });

  it('keeps the old rs1 after a mismatch until the SAS is verified (§4.6.1.1)', () => {
    const cacheA = new MemoryZrtpCache();
    const cacheB = new MemoryZrtpCache();
    expectAgreement(runPair(makeEngine('m1a', { zid: zidA, cache: cacheA }), makeEngine('m1b', { zid: zidB, cache: cacheB })));
    const old = toHex(cacheA.get(zidB)?.rs1 as Uint8Array);
    cacheB.entries.clear();
    const a2 = makeEngine('m2a', { zid: zidA, cache: cacheA });
    const r = runPair(a2, makeEngine('m2b', { zid: zidB, cache: cacheB }));
    expectAgreement(r);
    expect(r.a.some((e) => e.type === 'cacheMismatch')).toBe(true);
    expect(toHex(cacheA.get(zidB)?.rs1 as Uint8Array)).toBe(old);
    a2.setSasVerified(true);
    expect(toHex(cacheA.get(zidB)?.rs1 as Uint8Array)).not.toBe(old);
    expect(cacheA.get(zidB)?.verified).toBe(true);
  });
});

describe('multistream (§4.4.3)', () => {
  it('keys a second stream from ZRTPSess without DH, keeps the SAS and carries Verified', () => {
    const cacheA = new MemoryZrtpCache();
    const cacheB = new MemoryZrtpCache();
    const zidA = seededRandom('ms-zid-a')(12);
    const zidB = seededRandom('ms-zid-b')(12);
    const a = makeEngine('ms-a', { zid: zidA, cache: cacheA });
    const b = makeEngine('ms-b', { zid: zidB, cache: cacheB });
    const [first] = expectAgreement(runPair(a, b));
    a.setSasVerified(true);
    b.setSasVerified(true);
    const a2 = makeEngine('ms-a2', { zid: zidA, cache: cacheA, multistream: a.multistreamParent() });
    const b2 = makeEngine('ms-b2', { zid: zidB, cache: cacheB, multistream: b.multistreamParent() });
    const r = runPair(a2, b2);
    const [second] = expectAgreement(r);
    expect(second.keyAgreement).toBe('Mult');
    expect(second.multistream).toBe(true);
    expect(second.sas).toBe(first.sas);
    expect(second.verified).toBe(true);
    expect(hex(second)?.local).not.toBe(hex(first)?.local);
    expect(r.a.some((e) => e.type === 'sasReady')).toBe(false);
    expect(r.inputs.some((i) => typeOf(i.packet).startsWith('DHPart'))).toBe(false);
  });
});

describe('errors (§5.9)', () => {
  it('sends Error 0x90 for a peer with our own ZID', () => {
    const zid = seededRandom('same')(12);
    const r = runPair(makeEngine('z1', { zid }), makeEngine('z2', { zid }));
    expect(r.a.some((e) => e.type === 'error' && e.code === 0x90)).toBe(true);
  });

  it('answers an Error with ErrorACK and fails', () => {
    const a = makeEngine('err');
    a.start(0);
    const out = a.input(encodePacket(9, 9, encodeError(0x52)), 1);
    expect(out.packets.map(typeOf)).toEqual(['ErrorACK']);
    expect(out.events).toEqual([{ type: 'error', code: 0x52, sentByPeer: true, reason: 'peer sent Error' }]);
    expect(a.state).toBe('failed');
  });

  it('answers Ping with PingACK in any state', () => {
    const a = makeEngine('ping');
    a.start(0);
    const ping = new Uint8Array([0x50, 0x5a, 0, 6, ...new TextEncoder().encode('Ping    1.10'), 1, 2, 3, 4, 5, 6, 7, 8]);
    const out = a.input(encodePacket(3, 3, ping), 1);
    expect(out.packets.map(typeOf)).toEqual(['PingACK']);
    const p = parsePacket(out.packets[0]);
    const m = p.ok ? decodeMessage(p.packet.message) : undefined;
    expect(m?.ok && m.message.type === 'PingACK' && Array.from(m.message.pingAck.receivedEndpointHash)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(m?.ok && m.message.type === 'PingACK' && m.message.pingAck.ssrc).toBe(3);
    expect(a.state).toBe('discovery');
  });

  it('refuses GoClear in a secure session and stays secure', () => {
    const a = makeEngine('gc-a');
    const b = makeEngine('gc-b');
    expectAgreement(runPair(a, b));
    const out = a.input(encodePacket(100, 1, new Uint8Array([0x50, 0x5a, 0, 5, ...new TextEncoder().encode('GoClear '), 1, 2, 3, 4, 5, 6, 7, 8])), 10_000);
    expect(out.packets.map(typeOf)).toEqual(['Error']);
    expect(a.state).toBe('secure');
    // A relayed SAS from a MiTM we never enrolled is refused the same way (0x63).
    const relay = a.input(encodePacket(101, 1, new Uint8Array([0x50, 0x5a, 0, 19, ...new TextEncoder().encode('SASrelay'), ...new Uint8Array(64)])), 10_001);
    const p = parsePacket(relay.packets[0]);
    const m = p.ok ? decodeMessage(p.packet.message) : undefined;
    expect(m?.ok && m.message.type === 'Error' && m.message.code).toBe(0x63);
    expect(a.state).toBe('secure');
  });
});

describe('hostile input (fast-check style sweep)', () => {
  it('random and mutated packets never throw and never change state unless valid', async () => {
    const fc = (await import('fast-check')).default;
    const genuine: Uint8Array[] = [];
    runPair(makeEngine('fc-a'), makeEngine('fc-b'), { filter: (d) => (genuine.push(d.packet), [d.packet]) });
    const engine = makeEngine('fc-target');
    engine.start(0);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1500 }), (bytes) => {
        const before = engine.state;
        const out = engine.input(bytes, 5);
        expect(engine.state).toBe(before);
        expect(out.events.filter((e) => e.type === 'error')).toHaveLength(0);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: genuine.length - 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (i, at, x) => {
        const p = parsePacket(genuine[i]);
        if (!p.ok) return;
        const m = p.packet.message.slice();
        m[at % m.length] ^= x;
        const target = new ZrtpEngine({ zid: seededRandom(`fc${i}`)(12), ssrc: 1, random: seededRandom(`fcr${i}`), cache: new MemoryZrtpCache(), primitives: portableZrtpPrimitives });
        target.start(0);
        target.input(encodePacket(1, 1, m), 1);
        target.tick(10_000);
      }),
      { numRuns: 1000 },
    );
  });
});
