// Human names of the algorithms and codecs the UI shows (RFC 6189 §5.1.2-§5.1.6 type names).
import type { AudioCodec, KeyAgreement } from '../../shared/api';

export const KEY_AGREEMENT_CHOICES = ['X1M1', 'X255', 'EC25', 'EC38', 'DH3k', 'DH2k'] as const satisfies readonly KeyAgreement[];
export type KeyAgreementChoice = (typeof KEY_AGREEMENT_CHOICES)[number];

export const KEY_AGREEMENT_NAMES: Record<KeyAgreementChoice, string> = {
  X1M1: 'Post-quantum X25519 + ML-KEM-512 (X1M1)',
  X255: 'X25519 (X255)',
  EC25: 'NIST P-256 (EC25)',
  EC38: 'NIST P-384 (EC38)',
  DH3k: 'Diffie-Hellman 3072 (DH3k)',
  DH2k: 'Diffie-Hellman 2048 (DH2k)',
};

export const AUDIO_CODECS: readonly AudioCodec[] = ['opus', 'pcmu', 'pcma'];
export const AUDIO_CODEC_NAMES: Record<AudioCodec, string> = {
  opus: 'Opus (wideband)',
  pcmu: 'G.711 µ-law (PCMU)',
  pcma: 'G.711 A-law (PCMA)',
};

const ALGORITHM_NAMES: Record<string, string> = {
  X1M1: 'X25519 + ML-KEM-512 hybrid',
  MLK2: 'ML-KEM-768',
  X3M3: 'X448 + ML-KEM-1024 hybrid',
  X255: 'X25519',
  X448: 'X448',
  EC25: 'ECDH P-256',
  EC38: 'ECDH P-384',
  EC52: 'ECDH P-521',
  DH3k: 'Diffie-Hellman 3072-bit',
  DH2k: 'Diffie-Hellman 2048-bit',
  Mult: 'Multistream (from the first stream)',
  Prsh: 'Preshared',
  AES1: 'AES-128',
  AES2: 'AES-192',
  AES3: 'AES-256',
  '2FS1': 'Twofish-128',
  '2FS2': 'Twofish-192',
  '2FS3': 'Twofish-256',
  S256: 'SHA-256',
  S384: 'SHA-384',
  S512: 'SHA-512',
  N256: 'SHA-3 256',
  N384: 'SHA-3 384',
  HS32: 'HMAC-SHA1, 32-bit tag',
  HS80: 'HMAC-SHA1, 80-bit tag',
  SK32: 'Skein-MAC, 32-bit tag',
  SK64: 'Skein-MAC, 64-bit tag',
  B32: '4 characters',
  B256: 'two words',
};

/** The post-quantum key agreements (bzrtp's names) and what they combine. */
const POST_QUANTUM: Record<string, string> = { X1M1: 'X25519 + ML-KEM-512', MLK2: 'ML-KEM-768', X3M3: 'X448 + ML-KEM-1024' };

export function isPostQuantum(keyAgreement: string): boolean {
  return Object.prototype.hasOwnProperty.call(POST_QUANTUM, keyAgreement);
}

/** "post-quantum (X25519 + ML-KEM-512)" or "classic", for the security details. */
export function quantumResistance(keyAgreement: string): string {
  return isPostQuantum(keyAgreement) ? `post-quantum (${POST_QUANTUM[keyAgreement]})` : 'classic';
}

/** "AES-128 (AES1)" for a known ZRTP type name, the name itself otherwise. */
export function algorithmName(code: string): string {
  const name = ALGORITHM_NAMES[code];
  return name ? `${name} (${code})` : code || 'not negotiated';
}
