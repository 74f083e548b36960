// The ZRTP cache (RFC 6189 §4.9): per peer ZID the retained secrets rs1/rs2, an optional PBX
// secret and the SAS-verified flag. The engine reads and writes it through this interface; the
// app persists it (src/main/store) and the media worker holds the entries it needs.
import { toHex } from './bytes';
import type { HashSuite } from './algorithms';

export interface ZrtpCacheEntry {
  readonly rs1?: Uint8Array;
  readonly rs2?: Uint8Array;
  readonly pbxSecret?: Uint8Array;
  /** The SAS was compared and confirmed by the user (§4.9, the V flag). */
  readonly verified: boolean;
}

export interface ZrtpCache {
  get(peerZid: Uint8Array): ZrtpCacheEntry | undefined;
  set(peerZid: Uint8Array, entry: ZrtpCacheEntry): void;
}

/** A cache in memory, keyed by hex ZID: for tests and for the worker's copy of the entries. */
export class MemoryZrtpCache implements ZrtpCache {
  readonly entries = new Map<string, ZrtpCacheEntry>();
  get(peerZid: Uint8Array): ZrtpCacheEntry | undefined {
    return this.entries.get(toHex(peerZid));
  }
  set(peerZid: Uint8Array, entry: ZrtpCacheEntry): void {
    this.entries.set(toHex(peerZid), entry);
  }
}

/** rs1IDi = MAC(rs1, "Initiator"), rs1IDr = MAC(rs1, "Responder"), truncated to 64 bits (§4.3.1); the same for rs2 and the PBX secret. */
export function secretId(suite: HashSuite, secret: Uint8Array, role: 'Initiator' | 'Responder'): Uint8Array {
  const label = new Uint8Array(role.length);
  for (let i = 0; i < role.length; i++) label[i] = role.charCodeAt(i);
  return suite.hmac(secret, label).slice(0, 8);
}

/** auxsecretIDi = MAC(auxsecret, H3 of the initiator), auxsecretIDr with the responder's H3 (§4.3.1). */
export function auxSecretId(suite: HashSuite, auxSecret: Uint8Array, h3: Uint8Array): Uint8Array {
  return suite.hmac(auxSecret, h3).slice(0, 8);
}
