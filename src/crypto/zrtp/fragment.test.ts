import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_MTU, FRAGMENT_HEADER_LENGTH, FragmentReassembler, encodeFragment, fragmentPacketsNeeded, isFragment, parseFragment } from './fragment';
import type { Fragment } from './fragment';
import { crc32c } from './crc32c';
import { seededRandom } from './test-support';

/** A well-formed ZRTP message of `words` words (preamble, length word, then filler). */
function message(words: number, seed = 'm'): Uint8Array {
  const m = seededRandom(seed)(words * 4);
  m[0] = 0x50;
  m[1] = 0x5a;
  m[2] = words >> 8;
  m[3] = words & 0xff;
  return m;
}

function fragmentsOf(m: Uint8Array, mtu: number, id = 7): Fragment[] {
  const pieces = fragmentPacketsNeeded(m, mtu) ?? [];
  return pieces.map(([o, l], i) => {
    const p = parseFragment(encodeFragment(100 + i, 0xabcdef01, id, m, o, l));
    if (!p.ok) throw new Error(p.error);
    return p.fragment;
  });
}

describe('ZRTP fragments (bzrtp packetParser.c layout)', () => {
  it('header: 0x11, sequence, cookie, SSRC, message Id, total/offset/length in words, CRC over the whole packet', () => {
    const m = message(435); // an X3M3 Commit: 84 + 32 + 1624 bytes
    const p = encodeFragment(0x1234, 0xabcdef01, 0x0102, m, 1428, 312);
    expect(p.length).toBe(FRAGMENT_HEADER_LENGTH + 312 + 4);
    expect([...p.subarray(0, 20)]).toEqual([0x11, 0, 0x12, 0x34, 0x5a, 0x52, 0x54, 0x50, 0xab, 0xcd, 0xef, 0x01, 0x01, 0x02, 0x01, 0xb3, 0x01, 0x65, 0x00, 0x4e]);
    expect(new DataView(p.buffer).getUint32(p.length - 4, true)).toBe(crc32c(p, 0, p.length - 4));
    expect(isFragment(p)).toBe(true);
  });

  it('splits at MTU − 24 bytes (1428 at bzrtp default 1452) and only messages that do not fit', () => {
    expect(fragmentPacketsNeeded(message(435), DEFAULT_MTU)).toEqual([[0, 1428], [1428, 312]]);
    expect(fragmentPacketsNeeded(message(359), DEFAULT_MTU)).toBeUndefined(); // 1436 + 16 = 1452 fits
    expect(fragmentPacketsNeeded(message(360), DEFAULT_MTU)).toHaveLength(2);
    // Below bzrtp's minimum MTU of 600, 600 is used.
    expect(fragmentPacketsNeeded(message(435), 100)?.[0]).toEqual([0, 576]);
  });

  it('reassembles from any order, with duplicates', () => {
    fc.assert(
      fc.property(fc.integer({ min: 150, max: 760 }), fc.integer({ min: 600, max: 1500 }), fc.func(fc.integer()), (words, mtu, key) => {
        const m = message(words, `p${words}`);
        const frags = fragmentsOf(m, mtu);
        if (frags.length < 2) return;
        const shuffled = [...frags, frags[0]].sort((a, b) => key(a.offset) - key(b.offset));
        const r = new FragmentReassembler();
        const done = shuffled.map((f) => r.accept(f)).filter((x) => x !== undefined);
        expect(done[0]).toEqual(m);
      }),
    );
  });

  it('a newer message Id starts over, an older one is dropped', () => {
    const m1 = message(435, 'one');
    const m2 = message(435, 'two');
    const [a1, a2] = fragmentsOf(m1, DEFAULT_MTU, 10);
    const [b1, b2] = fragmentsOf(m2, DEFAULT_MTU, 11);
    const r = new FragmentReassembler();
    expect(r.accept(a1)).toBeUndefined();
    expect(r.accept(b1)).toBeUndefined();
    expect(r.accept(a2)).toBeUndefined(); // id 10 is older than 11 now
    expect(r.accept(b2)).toEqual(m2);
    // The same Id again (a retransmission) reassembles again.
    expect(r.accept(b2)).toBeUndefined();
    expect(r.accept(b1)).toEqual(m2);
  });

  it('refuses datagrams over 3072 bytes and messages larger than one would be', () => {
    const big = new Uint8Array(3073);
    big.set([0x11, 0, 0, 1, 0x5a, 0x52, 0x54, 0x50]);
    expect(parseFragment(big)).toEqual({ ok: false, error: 'too-long' });
    const m = message(800); // 3200 bytes: more than a 3072-byte packet holds
    const p = encodeFragment(1, 1, 1, m, 0, 1000);
    expect(parseFragment(p)).toEqual({ ok: false, error: 'bad-length' });
  });

  it('overlapping fragments cannot fake completion; a bad CRC is refused', () => {
    const m = message(435);
    const r = new FragmentReassembler();
    const f = fragmentsOf(m, 600);
    expect(r.accept(f[0])).toBeUndefined();
    expect(r.accept(f[0])).toBeUndefined();
    expect(r.accept(f[1])).toBeUndefined();
    const p = encodeFragment(1, 1, 1, m, 0, 576);
    p[30] ^= 1;
    expect(parseFragment(p)).toEqual({ ok: false, error: 'bad-crc' });
  });

  it('parseFragment never throws and a parsed fragment always lies within its message (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3200 }), fc.boolean(), (bytes, prefix) => {
        const data = bytes.slice();
        if (prefix && data.length >= 8) data.set([0x11, 0, 0, 1, 0x5a, 0x52, 0x54, 0x50]);
        const r = parseFragment(data);
        if (r.ok) expect(r.fragment.offset + r.fragment.data.length).toBeLessThanOrEqual(r.fragment.totalLength);
      }),
    );
  });
});
