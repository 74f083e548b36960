import { describe, expect, it } from 'vitest';
import { SUPPORTED } from '../../../crypto/zrtp';
import { stockKeyPair, takeKeyPairs } from './key-pair-stock';

describe('ZRTP key pair stock', () => {
  it('hands the stocked pair of the first preferred key agreement out once', () => {
    const x255 = { ...SUPPORTED, keyAgreements: ['X255', 'Mult'] as typeof SUPPORTED.keyAgreements };
    expect(takeKeyPairs(x255)).toBeUndefined();
    stockKeyPair(x255);
    const taken = takeKeyPairs(x255);
    expect([...(taken?.keys() ?? [])]).toEqual(['X255']);
    expect(taken?.get('X255')?.publicValue.length).toBe(32);
    expect(takeKeyPairs(x255)).toBeUndefined();
  });

  it('keeps a pair for another key agreement than the one asked for', () => {
    stockKeyPair();
    expect(takeKeyPairs({ ...SUPPORTED, keyAgreements: ['EC25'] })).toBeUndefined();
    expect([...(takeKeyPairs(SUPPORTED)?.keys() ?? [])]).toEqual(['X1M1']);
  });
});
