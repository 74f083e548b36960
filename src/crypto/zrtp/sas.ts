// SAS rendering (RFC 6189 §5.1.6) from sasvalue, the leftmost 32 bits of sashash.
import { PGP_WORDS_EVEN, PGP_WORDS_ODD } from './pgp-words';
import type { SasTypeName } from './algorithms';

const B32_ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** B32: the leftmost 20 bits as four base32 characters (§5.1.6, z-base-32 alphabet). */
export function sasBase32(sasHash: Uint8Array): string {
  const v = ((sasHash[0] << 24) | (sasHash[1] << 16) | (sasHash[2] << 8) | sasHash[3]) >>> 0;
  let out = '';
  for (let shift = 27; out.length < 4; shift -= 5) out += B32_ALPHABET[(v >>> shift) & 31];
  return out;
}

/**
 * B256: the leftmost 16 bits as two PGP words, even list then odd list, separated by a space as
 * the API promises (SecurityInfo.sas) and screen readers need to say two words. This is the one
 * place a B256 SAS is written; bzrtp shows the same words joined by ':' (Linphone's UI).
 */
export function sasBase256(sasHash: Uint8Array): string {
  return `${PGP_WORDS_EVEN[sasHash[0]]} ${PGP_WORDS_ODD[sasHash[1]]}`;
}

export function renderSas(type: SasTypeName, sasHash: Uint8Array): string {
  return type === 'B256' ? sasBase256(sasHash) : sasBase32(sasHash);
}
