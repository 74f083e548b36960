import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  aLawToLinear,
  decodeG711,
  encodeG711,
  linearToALaw,
  linearToMuLaw,
  muLawToLinear,
} from './g711';

// Known values from ITU-T G.711 Tables 1a/2a (decoder outputs scaled to 16 bits, as the CCITT
// reference implementation g711.c prints them).
const muLawDecoded: Array<[number, number]> = [
  [0xff, 0],
  [0x7f, 0],
  [0x80, 32124],
  [0x00, -32124],
  [0xfe, 8],
  [0x7e, -8],
  [0xf0, 120],
  [0xef, 132],
  [0x6f, -132],
];

const aLawDecoded: Array<[number, number]> = [
  [0xd5, 8],
  [0x55, -8],
  [0xaa, 32256],
  [0x2a, -32256],
  [0xd4, 24],
  [0xc5, 264],
];

const muLawEncoded: Array<[number, number]> = [
  [0, 0xff],
  [-1, 0x7f],
  [32767, 0x80],
  [-32768, 0x00],
  [8, 0xfe],
  [-8, 0x7e],
];

const aLawEncoded: Array<[number, number]> = [
  [0, 0xd5],
  [-1, 0x55],
  [32767, 0xaa],
  [-32768, 0x2a],
  [8, 0xd5],
  [16, 0xd4],
];

describe('G.711 mu-law', () => {
  it.each(muLawDecoded)('decodes 0x%s to the G.711 table value', (byte, linear) => {
    expect(muLawToLinear(byte)).toBe(linear);
  });

  it.each(muLawEncoded)('encodes %i to the G.711 code', (linear, byte) => {
    expect(linearToMuLaw(linear)).toBe(byte);
  });

  it('re-encodes every decoded code to itself (0x7f, negative zero, becomes 0xff)', () => {
    for (let b = 0; b < 256; b++) {
      expect(linearToMuLaw(muLawToLinear(b))).toBe(b === 0x7f ? 0xff : b);
    }
  });

  it('keeps the round-trip error within half a quantization step', () => {
    fc.assert(
      fc.property(fc.integer({ min: -32635, max: 32635 }), (x) => {
        const err = Math.abs(muLawToLinear(linearToMuLaw(x)) - x);
        return err <= (Math.abs(x) + 132) / 32 + 1;
      }),
    );
  });

  it('is monotonic: larger input never decodes smaller', () => {
    let previous = -Infinity;
    for (let x = -32768; x <= 32767; x += 7) {
      const y = muLawToLinear(linearToMuLaw(x));
      expect(y).toBeGreaterThanOrEqual(previous);
      previous = y;
    }
  });
});

describe('G.711 A-law', () => {
  it.each(aLawDecoded)('decodes 0x%s to the G.711 table value', (byte, linear) => {
    expect(aLawToLinear(byte)).toBe(linear);
  });

  it.each(aLawEncoded)('encodes %i to the G.711 code', (linear, byte) => {
    expect(linearToALaw(linear)).toBe(byte);
  });

  it('re-encodes every decoded code to itself', () => {
    for (let b = 0; b < 256; b++) expect(linearToALaw(aLawToLinear(b))).toBe(b);
  });

  it('keeps the round-trip error within half a quantization step', () => {
    fc.assert(
      fc.property(fc.integer({ min: -32768, max: 32767 }), (x) => {
        const err = Math.abs(aLawToLinear(linearToALaw(x)) - x);
        return err <= Math.max(8, Math.abs(x) / 32) + 1;
      }),
    );
  });
});

describe('G.711 buffers', () => {
  it.each(['PCMU', 'PCMA'] as const)('%s encodes and decodes a 20 ms frame at offsets', (law) => {
    const pcm = new Int16Array(170);
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(10000 * Math.sin((2 * Math.PI * i) / 8));
    const coded = new Uint8Array(164);
    encodeG711(law, pcm, coded, 160, 10, 4);
    const back = new Int16Array(160);
    decodeG711(law, coded, back, 160, 4, 0);
    for (let i = 0; i < 160; i++) expect(Math.abs(back[i] - pcm[i + 10])).toBeLessThanOrEqual(320);
  });
});
