// The hash chain H0..H3 (RFC 6189 §9) and the implicit MACs it keys. ZRTP v1.10 always uses
// SHA-256 here, whatever hash is negotiated (§5.1.2.1; bzrtp does the same): H3 goes in the
// Hello, H2 in the Commit, H1 in the DHPart, H0 in the Confirm, and each message's MAC is keyed
// with the next image revealed later, so it can only be checked when that image arrives.
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { equalBytes } from './bytes';

export interface HashChain {
  readonly h0: Uint8Array;
  readonly h1: Uint8Array;
  readonly h2: Uint8Array;
  readonly h3: Uint8Array;
}

export function makeHashChain(h0: Uint8Array): HashChain {
  const h1 = sha256(h0);
  const h2 = sha256(h1);
  return { h0, h1, h2, h3: sha256(h2) };
}

/** One step up the chain: H(n+1) = SHA-256(H(n)). */
export function nextImage(image: Uint8Array): Uint8Array {
  return sha256(image);
}

/** True when `lower` hashes to `upper` (e.g. H2 received in a Commit against the Hello's H3). */
export function imageMatches(lower: Uint8Array, upper: Uint8Array): boolean {
  return equalBytes(sha256(lower), upper);
}

/** The 64-bit MAC that ends Hello, Commit and DHPart messages: HMAC-SHA256(key, message minus MAC). */
export function implicitMac(key: Uint8Array, messageWithoutMac: Uint8Array): Uint8Array {
  return hmac(sha256, key, messageWithoutMac).slice(0, 8);
}

/** Checks the trailing MAC of a stored message with a key that has just been revealed. */
export function messageMacValid(key: Uint8Array, message: Uint8Array): boolean {
  if (message.length < 8) return false;
  return equalBytes(implicitMac(key, message.subarray(0, message.length - 8)), message.subarray(message.length - 8));
}

/** a=zrtp-hash (§8.1): SHA-256 over the whole Hello message. */
export function helloHash(helloMessage: Uint8Array): Uint8Array {
  return sha256(helloMessage);
}
