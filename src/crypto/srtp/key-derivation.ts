// SRTP key derivation (RFC 3711 §4.3) with the AES-CM PRF (§4.3.3) and a key derivation rate of 0,
// so r = 0 and the session keys are derived once. RFC 6188 §5 uses the same PRF with AES-256;
// RFC 7714 §11 keeps it for GCM, with the 96-bit master salt padded with zeros to 112 bits.
import { encryptAesBlock, expandAesKey } from './aes-block';
import type { ProtectionProfile } from './protection-profile';

/** Key derivation labels (RFC 3711 §4.3.1, §4.3.2). */
export const KdfLabel = Object.freeze({
  rtpEncryption: 0x00,
  rtpAuthentication: 0x01,
  rtpSalt: 0x02,
  rtcpEncryption: 0x03,
  rtcpAuthentication: 0x04,
  rtcpSalt: 0x05,
});

/** PRF_n(k_master, x) with x = (label || r) ⊕ master_salt, r = 0 (RFC 3711 §4.3.1, §4.3.3). */
export function deriveSessionKey(masterKey: Uint8Array, masterSalt: Uint8Array, label: number, length: number): Uint8Array {
  const iv = new Uint8Array(16);
  iv.set(masterSalt.subarray(0, 14));
  iv[7] ^= label;
  const rk = expandAesKey(masterKey);
  const block = new Int32Array(4);
  const out = new Uint8Array(length);
  const word = (i: number) => (iv[i] << 24) | (iv[i + 1] << 16) | (iv[i + 2] << 8) | iv[i + 3];
  for (let counter = 0; counter * 16 < length; counter++) {
    encryptAesBlock(rk, word(0), word(4), word(8), word(12) | counter, block);
    for (let i = 0; i < 16 && counter * 16 + i < length; i++) out[counter * 16 + i] = block[i >>> 2] >>> (24 - 8 * (i & 3));
  }
  rk.fill(0);
  block.fill(0);
  return out;
}

export interface SessionKeys {
  readonly encryptionKey: Uint8Array;
  /** Empty for the AEAD suites. */
  readonly authKey: Uint8Array;
  readonly salt: Uint8Array;
}

export function deriveSessionKeys(
  profile: ProtectionProfile,
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
  forRtcp: boolean,
): SessionKeys {
  const base = forRtcp ? KdfLabel.rtcpEncryption : KdfLabel.rtpEncryption;
  return {
    encryptionKey: deriveSessionKey(masterKey, masterSalt, base, profile.keyLength),
    authKey: deriveSessionKey(masterKey, masterSalt, base + 1, profile.authKeyLength),
    salt: deriveSessionKey(masterKey, masterSalt, base + 2, profile.saltLength),
  };
}

export function zeroSessionKeys(keys: SessionKeys): void {
  keys.encryptionKey.fill(0);
  keys.authKey.fill(0);
  keys.salt.fill(0);
}
