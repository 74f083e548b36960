// The ZRTP key pair of the worker's next call, made while the worker is idle (issue 23): a fresh
// worker makes it at start-up, before it says ready, so opening the first stream between an
// INVITE and its 200 costs no key generation (X1M1 is an X25519 and an ML-KEM-768 key pair).
// Each worker serves one call and the next call gets a new worker (worker-host.ts), so "after
// each call" is the next worker's start-up. A pair is handed out once; the engine wipes it when
// the shared secret exists (RFC 6189 §4.4.1.4), an unused one ends with the worker.

import { randomBytes } from 'node:crypto';
import { makeKeyPair, SUPPORTED, type AlgorithmPreferences } from '../../../crypto/zrtp';
import { nodeZrtpPrimitives } from '../zrtp-node';

type KeyPair = ReturnType<typeof makeKeyPair>;

const stock = new Map<string, KeyPair>();
const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

/** The key agreement a stream's engine makes its pair for: the first preferred one, not Mult (§4.4.3). */
function preferredKeyAgreement(preferences: AlgorithmPreferences): string | undefined {
  return preferences.keyAgreements.find((k) => k !== 'Mult');
}

/** Makes the pair for the key agreement `preferences` put first (ours by default), unless one is stocked. */
export function stockKeyPair(preferences: AlgorithmPreferences = SUPPORTED): void {
  const name = preferredKeyAgreement(preferences);
  if (name && !stock.has(name)) stock.set(name, makeKeyPair(name, random, nodeZrtpPrimitives));
}

/** The stocked pair for the key agreement `preferences` put first, taken out of the stock; none if there is none. */
export function takeKeyPairs(preferences: AlgorithmPreferences): ReadonlyMap<string, KeyPair> | undefined {
  const name = preferredKeyAgreement(preferences);
  const pair = name === undefined ? undefined : stock.get(name);
  if (name === undefined || pair === undefined) return undefined;
  stock.delete(name);
  return new Map([[name, pair]]);
}
