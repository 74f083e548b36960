// SDES crypto-suite names: RFC 4568 §6.2 (AES_CM_128_*), RFC 6188 §3 (AES_256_CM_*), RFC 7714 §12
// (AEAD_AES_*_GCM). They are the SRTP protection profiles' names, so there is one table, in
// src/crypto/srtp (protection-profile.ts), which also gives the master key and salt sizes an
// inline key||salt must have (RFC 4568 §6.1).
import { SRTP_SUITES, protectionProfileByName } from '../../crypto/srtp/protection-profile';
import type { ProtectionProfile, SrtpSuiteName } from '../../crypto/srtp';

export type SdesSuiteName = SrtpSuiteName;

/** What SDES needs of a profile: its name and the key and salt sizes. */
export type SdesSuite = Pick<ProtectionProfile, 'name' | 'keyLength' | 'saltLength'>;

export const SDES_SUITES: readonly SdesSuiteName[] = SRTP_SUITES;

export function sdesSuite(name: string): SdesSuite | undefined {
  return protectionProfileByName(name);
}
