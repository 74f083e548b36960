import { describe, it, expect } from 'vitest';
import { sasBase32, sasBase256 } from './sas';
import { PGP_WORDS_EVEN, PGP_WORDS_ODD } from './pgp-words';
import { makeEngine, runPair } from './test-support';

describe('SAS rendering (RFC 6189 §5.1.6)', () => {
  it('B32 takes the leftmost 20 bits, 5 bits per character of the z-base-32 alphabet', () => {
    expect(sasBase32(new Uint8Array([0, 0, 0, 0]))).toBe('yyyy');
    // 0xffff f000: first 20 bits all ones -> index 31 ('9') four times; the rest is ignored.
    expect(sasBase32(new Uint8Array([0xff, 0xff, 0xf0, 0x00]))).toBe('9999');
    // 00001 00010 00011 00100 -> indexes 1, 2, 3, 4 -> "bndr"
    expect(sasBase32(new Uint8Array([0x08, 0x86, 0x40, 0xff]))).toBe('bndr');
  });

  it('B256 uses the even word for the first byte and the odd word for the second', () => {
    expect(sasBase256(new Uint8Array([0, 0, 0, 0]))).toBe('aardvark adroitness');
    expect(sasBase256(new Uint8Array([0xff, 0xff, 0, 0]))).toBe('Zulu Yucatan');
  });

  it('has the full PGP word lists, 256 distinct words each', () => {
    expect(new Set(PGP_WORDS_EVEN).size).toBe(256);
    expect(new Set(PGP_WORDS_ODD).size).toBe(256);
    expect(PGP_WORDS_EVEN.every((w) => !PGP_WORDS_ODD.includes(w))).toBe(true);
  });

  it('a real B256 handshake reports two words, even then odd, separated by one space (api.ts SecurityInfo.sas)', () => {
    const preferences = { hashes: ['S256' as const], ciphers: ['AES1' as const], authTags: ['HS80' as const], keyAgreements: ['X255' as const, 'Mult' as const], sasTypes: ['B256' as const] };
    const r = runPair(makeEngine('sas-b256-a', { preferences }), makeEngine('sas-b256-b', { preferences }));
    const ready = r.a.find((e) => e.type === 'sasReady');
    expect(ready?.type === 'sasReady' && ready.sasType).toBe('B256');
    const sas = ready?.type === 'sasReady' ? ready.sas : '';
    const words = sas.split(' ');
    expect(words).toHaveLength(2);
    expect(PGP_WORDS_EVEN).toContain(words[0]);
    expect(PGP_WORDS_ODD).toContain(words[1]);
    const other = r.b.find((e) => e.type === 'sasReady');
    expect(other?.type === 'sasReady' && other.sas).toBe(sas);
  });
});
