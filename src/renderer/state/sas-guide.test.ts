import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { phoneticHint, phoneticHints, sasHalves, speakableHalf } from './sas-guide';

describe('sas-guide: each side says half the code and hears the other (issue 21)', () => {
  it('B32: the caller says the first two characters, the callee the last two', () => {
    expect(sasHalves('k7xq', 'B32', 'outgoing')).toEqual({ say: 'K7', hear: 'XQ' });
    expect(sasHalves('k7xq', 'B32', 'incoming')).toEqual({ say: 'XQ', hear: 'K7' });
  });

  it('B256: one PGP word each', () => {
    expect(sasHalves('aardvark adroitness', 'B256', 'outgoing')).toEqual({ say: 'aardvark', hear: 'adroitness' });
    expect(sasHalves('aardvark  adroitness', 'B256', 'incoming')).toEqual({ say: 'adroitness', hear: 'aardvark' });
  });

  it('the two sides together say the whole code, each part once', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{4}$/), (sas) => {
        const caller = sasHalves(sas, 'B32', 'outgoing');
        const callee = sasHalves(sas, 'B32', 'incoming');
        expect(caller.say).toBe(callee.hear);
        expect(caller.hear).toBe(callee.say);
        expect(caller.say + caller.hear).toBe(sas.toUpperCase());
      }),
    );
  });

  it('phonetic hints: NATO letters, digits spelled', () => {
    expect(phoneticHint('t')).toBe('T as in Tango');
    expect(phoneticHint('7')).toBe('7 (seven)');
    expect(phoneticHints('K7', 'B32')).toEqual(['K as in Kilo', '7 (seven)']);
    expect(phoneticHints('aardvark', 'B256')).toEqual([]);
    expect(speakableHalf('X5', 'B32')).toBe('X-ray, five');
    expect(speakableHalf('aardvark', 'B256')).toBe('aardvark');
  });
});
