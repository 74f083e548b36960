import { describe, it, expect } from 'vitest';
import { checkCommitAlgorithms, negotiate, SUPPORTED, ERROR, HASH_SUITES } from './algorithms';
import { ascii, toHex } from './bytes';

const peer = (over: Partial<Record<'hashes' | 'ciphers' | 'authTags' | 'keyAgreements' | 'sasTypes', string[]>> = {}) => ({
  hashes: ['S256'],
  ciphers: ['AES1'],
  authTags: ['HS32', 'HS80'],
  keyAgreements: ['DH3k'],
  sasTypes: ['B32'],
  ...over,
});

const PQ = { ...SUPPORTED, keyAgreements: ['X1M1', 'X255', 'EC25', 'DH3k', 'EC38', 'DH2k', 'Mult'] } as const;

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

  it('X1M1 first on both sides: the hybrid with S512 and AES3, as bzrtp pairs a PQ agreement', () => {
    expect(negotiate(PQ, peer({ keyAgreements: ['X1M1', 'X255'], hashes: ['S256', 'S384', 'S512'], ciphers: ['AES1', 'AES3'] }))).toMatchObject({ keyAgreement: 'X1M1', hash: 'S512', cipher: 'AES3' });
    // Without S512 in common, S384; without either, S256.
    expect(negotiate(PQ, peer({ keyAgreements: ['X1M1'], hashes: ['S256', 'S384'] }))).toMatchObject({ keyAgreement: 'X1M1', hash: 'S384' });
    expect(negotiate(PQ, peer({ keyAgreements: ['X1M1'], hashes: ['S256'] }))).toMatchObject({ keyAgreement: 'X1M1', hash: 'S256', cipher: 'AES1' });
  });

  it('different first choices: the lower bzrtp ID wins, so any DH beats any KEM (bzrtp_cryptoAlgoAgreement)', () => {
    expect(negotiate(PQ, peer({ keyAgreements: ['X255', 'X1M1'] }))).toMatchObject({ keyAgreement: 'X255' });
    expect(negotiate({ ...SUPPORTED, keyAgreements: ['DH3k', 'X1M1'] }, peer({ keyAgreements: ['X1M1', 'DH3k'] }))).toMatchObject({ keyAgreement: 'DH3k' });
    expect(negotiate({ ...SUPPORTED, keyAgreements: ['X3M3', 'X1M1'] }, peer({ keyAgreements: ['X1M1', 'X3M3'] }))).toMatchObject({ keyAgreement: 'X1M1' });
    expect(negotiate({ ...SUPPORTED, keyAgreements: ['MLK2', 'X1M1'] }, peer({ keyAgreements: ['X1M1', 'MLK2'] }))).toMatchObject({ keyAgreement: 'MLK2' });
  });

  it('Kyber and HQC names (X1K1, KYB1, HQD1) are other algorithms: never taken for ML-KEM', () => {
    expect(negotiate(PQ, peer({ keyAgreements: ['X1K1', 'KYB1', 'HQD1', 'X255'] }))).toMatchObject({ keyAgreement: 'X255' });
    expect(checkCommitAlgorithms(PQ, { hash: 'S512', cipher: 'AES3', authTag: 'HS80', keyAgreement: 'X1K1', sas: 'B32' })).toBe(0x53);
  });

  it('a peer without PQ (Linphone 5.1: X255 first) gets the classic choice it would make with itself', () => {
    expect(negotiate(PQ, peer({ keyAgreements: ['X255', 'EC25', 'DH3k'], hashes: ['S256', 'S384'], ciphers: ['AES1', 'AES3'] }))).toMatchObject({ keyAgreement: 'X255', hash: 'S256', cipher: 'AES1' });
  });

  it('S512 is SHA-512 and HMAC-SHA-512 (RFC 4231 §4.3 test case 2)', () => {
    expect(HASH_SUITES.S512.length).toBe(64);
    expect(toHex(HASH_SUITES.S512.hmac(ascii('Jefe'), ascii('what do ya want for nothing?')))).toBe(
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    );
  });
});
