// SDES crypto-suite names and their master key/salt sizes: RFC 4568 §6.2 (AES_CM_128_*),
// RFC 6188 §3 (AES_256_CM_*), RFC 7714 §12 (AEAD_AES_*_GCM).

export type SdesSuiteName =
  | 'AES_CM_128_HMAC_SHA1_80'
  | 'AES_CM_128_HMAC_SHA1_32'
  | 'AES_256_CM_HMAC_SHA1_80'
  | 'AES_256_CM_HMAC_SHA1_32'
  | 'AEAD_AES_128_GCM'
  | 'AEAD_AES_256_GCM';

export interface SdesSuite {
  readonly name: SdesSuiteName;
  readonly keyLength: number;
  readonly saltLength: number;
}

const suites: Record<SdesSuiteName, SdesSuite> = {
  AES_CM_128_HMAC_SHA1_80: { name: 'AES_CM_128_HMAC_SHA1_80', keyLength: 16, saltLength: 14 },
  AES_CM_128_HMAC_SHA1_32: { name: 'AES_CM_128_HMAC_SHA1_32', keyLength: 16, saltLength: 14 },
  AES_256_CM_HMAC_SHA1_80: { name: 'AES_256_CM_HMAC_SHA1_80', keyLength: 32, saltLength: 14 },
  AES_256_CM_HMAC_SHA1_32: { name: 'AES_256_CM_HMAC_SHA1_32', keyLength: 32, saltLength: 14 },
  AEAD_AES_128_GCM: { name: 'AEAD_AES_128_GCM', keyLength: 16, saltLength: 12 },
  AEAD_AES_256_GCM: { name: 'AEAD_AES_256_GCM', keyLength: 32, saltLength: 12 },
};

export const SDES_SUITES: readonly SdesSuiteName[] = Object.keys(suites) as SdesSuiteName[];

export function sdesSuite(name: string): SdesSuite | undefined {
  return Object.hasOwn(suites, name) ? suites[name as SdesSuiteName] : undefined;
}
