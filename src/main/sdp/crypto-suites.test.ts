// SDES suite names come from the one SRTP profile table (src/crypto/srtp/protection-profile.ts):
// a name read off an a=crypto line either is one of its suites, with the RFC key and salt sizes,
// or is unknown, whatever it looks like.
import { describe, it, expect } from 'vitest';
import { SDES_SUITES, sdesSuite } from './crypto-suites';
import { SRTP_SUITES } from '../../crypto/srtp';

describe('sdesSuite', () => {
  it('knows every SRTP suite with its master key and salt sizes (RFC 4568 §6.2, RFC 6188 §3, RFC 7714 §12)', () => {
    expect(SDES_SUITES).toEqual(SRTP_SUITES);
    expect(sdesSuite('AES_CM_128_HMAC_SHA1_80')).toMatchObject({ name: 'AES_CM_128_HMAC_SHA1_80', keyLength: 16, saltLength: 14 });
    expect(sdesSuite('AES_CM_128_HMAC_SHA1_32')).toMatchObject({ keyLength: 16, saltLength: 14 });
    expect(sdesSuite('AES_256_CM_HMAC_SHA1_80')).toMatchObject({ keyLength: 32, saltLength: 14 });
    expect(sdesSuite('AEAD_AES_128_GCM')).toMatchObject({ keyLength: 16, saltLength: 12 });
    expect(sdesSuite('AEAD_AES_256_GCM')).toMatchObject({ keyLength: 32, saltLength: 12 });
  });

  it('returns undefined for unknown names, object prototype names included', () => {
    for (const name of ['F8_128_HMAC_SHA1_80', 'aes_cm_128_hmac_sha1_80', '', 'toString', '__proto__', 'constructor']) expect(sdesSuite(name)).toBeUndefined();
  });
});
