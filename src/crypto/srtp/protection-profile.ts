// The SRTP protection profiles (crypto suites) Vouch speaks, with their key, salt and tag sizes:
// RFC 3711 §8.2 / RFC 4568 §6.2 (AES_CM_128_HMAC_SHA1_*), RFC 6188 §3 (AES_256_CM_HMAC_SHA1_*),
// RFC 7714 §12 (AEAD_AES_*_GCM).

export type SrtpSuiteName =
  | 'AES_CM_128_HMAC_SHA1_80'
  | 'AES_CM_128_HMAC_SHA1_32'
  | 'AES_256_CM_HMAC_SHA1_80'
  | 'AES_256_CM_HMAC_SHA1_32'
  | 'AEAD_AES_128_GCM'
  | 'AEAD_AES_256_GCM';

export interface ProtectionProfile {
  readonly name: SrtpSuiteName;
  readonly kind: 'aes-cm-hmac-sha1' | 'aead-aes-gcm';
  /** Master (and session) key length in bytes. */
  readonly keyLength: number;
  /** Master (and session) salt length in bytes: 14 for AES-CM, 12 for GCM (RFC 7714 §11). */
  readonly saltLength: number;
  /** Session authentication key length (HMAC-SHA1: 160 bits); 0 for AEAD. */
  readonly authKeyLength: number;
  /** SRTP authentication tag length in bytes (AEAD: the GCM tag). */
  readonly rtpTagLength: number;
  /**
   * Default SRTCP tag length. RFC 3711 §5.2 / RFC 4568 keep 80 bits for SRTCP even in the _32
   * suites; some keying modes differ (ZRTP implementations vary), so sessions may override it.
   */
  readonly rtcpTagLength: number;
}

const profiles: Record<SrtpSuiteName, ProtectionProfile> = {
  AES_CM_128_HMAC_SHA1_80: { name: 'AES_CM_128_HMAC_SHA1_80', kind: 'aes-cm-hmac-sha1', keyLength: 16, saltLength: 14, authKeyLength: 20, rtpTagLength: 10, rtcpTagLength: 10 },
  AES_CM_128_HMAC_SHA1_32: { name: 'AES_CM_128_HMAC_SHA1_32', kind: 'aes-cm-hmac-sha1', keyLength: 16, saltLength: 14, authKeyLength: 20, rtpTagLength: 4, rtcpTagLength: 10 },
  AES_256_CM_HMAC_SHA1_80: { name: 'AES_256_CM_HMAC_SHA1_80', kind: 'aes-cm-hmac-sha1', keyLength: 32, saltLength: 14, authKeyLength: 20, rtpTagLength: 10, rtcpTagLength: 10 },
  AES_256_CM_HMAC_SHA1_32: { name: 'AES_256_CM_HMAC_SHA1_32', kind: 'aes-cm-hmac-sha1', keyLength: 32, saltLength: 14, authKeyLength: 20, rtpTagLength: 4, rtcpTagLength: 10 },
  AEAD_AES_128_GCM: { name: 'AEAD_AES_128_GCM', kind: 'aead-aes-gcm', keyLength: 16, saltLength: 12, authKeyLength: 0, rtpTagLength: 16, rtcpTagLength: 16 },
  AEAD_AES_256_GCM: { name: 'AEAD_AES_256_GCM', kind: 'aead-aes-gcm', keyLength: 32, saltLength: 12, authKeyLength: 0, rtpTagLength: 16, rtcpTagLength: 16 },
};

export const SRTP_SUITES: readonly SrtpSuiteName[] = Object.keys(profiles) as SrtpSuiteName[];

export function protectionProfile(name: SrtpSuiteName): ProtectionProfile {
  return profiles[name];
}

/** The profile for a suite name read off the wire (an SDES a=crypto line, RFC 4568 §9.1); undefined for one Vouch does not speak. */
export function protectionProfileByName(name: string): ProtectionProfile | undefined {
  return Object.hasOwn(profiles, name) ? profiles[name as SrtpSuiteName] : undefined;
}

/** SRTCP trailer bytes: E-flag/index word (4) + MKI + tag. The largest trailer of a session. */
export const SRTCP_INDEX_LENGTH = 4;

/** ZRTP cipher type names (RFC 6189 §5.1.3) Vouch negotiates. */
export type ZrtpCipherType = 'AES1' | 'AES3';
/** ZRTP SRTP auth tag type names (RFC 6189 §5.1.4). */
export type ZrtpAuthTagType = 'HS80' | 'HS32';

/**
 * The SRTP suite a ZRTP negotiation yields (RFC 6189 §5.1.3, §5.1.4): AES1 = AES-128,
 * AES3 = AES-256, HS80/HS32 = HMAC-SHA1 with 80/32-bit SRTP tags.
 */
export function suiteForZrtp(cipher: ZrtpCipherType, authTag: ZrtpAuthTagType): SrtpSuiteName {
  if (cipher === 'AES1') return authTag === 'HS80' ? 'AES_CM_128_HMAC_SHA1_80' : 'AES_CM_128_HMAC_SHA1_32';
  return authTag === 'HS80' ? 'AES_256_CM_HMAC_SHA1_80' : 'AES_256_CM_HMAC_SHA1_32';
}

/** The inverse mapping, for the suites ZRTP can name (the AEAD suites have no ZRTP name). */
export const ZRTP_SUITE_NAMES: Readonly<Partial<Record<SrtpSuiteName, { cipher: ZrtpCipherType; authTag: ZrtpAuthTagType }>>> = {
  AES_CM_128_HMAC_SHA1_80: { cipher: 'AES1', authTag: 'HS80' },
  AES_CM_128_HMAC_SHA1_32: { cipher: 'AES1', authTag: 'HS32' },
  AES_256_CM_HMAC_SHA1_80: { cipher: 'AES3', authTag: 'HS80' },
  AES_256_CM_HMAC_SHA1_32: { cipher: 'AES3', authTag: 'HS32' },
};
