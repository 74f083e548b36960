import { describe, it, expect } from 'vitest';
import { checkCommitAlgorithms, negotiate, SUPPORTED, ERROR } from './algorithms';

const peer = (over: Partial<Record<'hashes' | 'ciphers' | 'authTags' | 'keyAgreements' | 'sasTypes', string[]>> = {}) => ({
  hashes: ['S256'],
  ciphers: ['AES1'],
  authTags: ['HS32', 'HS80'],
  keyAgreements: ['DH3k'],
  sasTypes: ['B32'],
  ...over,
});

describe('algorithm negotiation (§4.1.2)', () => {
  it('takes the common first choice', () => {
    expect(negotiate(SUPPORTED, peer({ keyAgreements: ['X255', 'DH3k'] }))).toMatchObject({ keyAgreement: 'X255' });
  });

  it('takes the faster of two different first choices', () => {
    expect(negotiate({ ...SUPPORTED, keyAgreements: ['DH3k', 'EC25'] }, peer({ keyAgreements: ['EC25', 'DH3k'] }))).toMatchObject({ keyAgreement: 'EC25' });
    expect(negotiate({ ...SUPPORTED, keyAgreements: ['EC38', 'DH2k'] }, peer({ keyAgreements: ['DH2k', 'EC38'] }))).toMatchObject({ keyAgreement: 'DH2k' });
  });

  it('adds the mandatory algorithms a Hello may omit (DH3k, S256, AES1, HS32/HS80, B32)', () => {
    expect(negotiate({ ...SUPPORTED, keyAgreements: ['DH3k'] }, peer({ keyAgreements: [], hashes: [], ciphers: [], authTags: [], sasTypes: [] }))).toEqual({
      keyAgreement: 'DH3k',
      hash: 'S256',
      cipher: 'AES1',
      authTag: 'HS80',
      sas: 'B32',
    });
  });

  it('pairs EC38 with S384 and AES3 when both offer them (§5.1.5)', () => {
    expect(negotiate({ ...SUPPORTED, keyAgreements: ['EC38', 'DH3k'] }, peer({ keyAgreements: ['EC38'], hashes: ['S256', 'S384'], ciphers: ['AES1', 'AES3'] }))).toMatchObject({ keyAgreement: 'EC38', hash: 'S384', cipher: 'AES3' });
  });

  it('never picks Mult for a DH exchange and fails without a common key agreement', () => {
    expect(negotiate({ ...SUPPORTED, keyAgreements: ['X255', 'Mult'] }, peer({ keyAgreements: ['Mult'] }))).toEqual({ error: ERROR.keyExchangeNotSupported });
  });

  it('checks a Commit against what we offered, with the §5.9 error code', () => {
    const c = { hash: 'S256', cipher: 'AES1', authTag: 'HS80', keyAgreement: 'X255', sas: 'B32' };
    expect(checkCommitAlgorithms(SUPPORTED, c)).toBeUndefined();
    expect(checkCommitAlgorithms(SUPPORTED, { ...c, hash: 'N256' })).toBe(0x51);
    expect(checkCommitAlgorithms(SUPPORTED, { ...c, cipher: '2FS1' })).toBe(0x52);
    expect(checkCommitAlgorithms(SUPPORTED, { ...c, authTag: 'SK32' })).toBe(0x54);
    expect(checkCommitAlgorithms(SUPPORTED, { ...c, keyAgreement: 'X448' })).toBe(0x53);
    expect(checkCommitAlgorithms(SUPPORTED, { ...c, sas: 'B10' })).toBe(0x55);
  });
});
