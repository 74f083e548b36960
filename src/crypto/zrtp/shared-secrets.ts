// The shared secrets of a DH exchange (RFC 6189 §4.3): the IDs we announce in our DHPart and the
// s1 (rs1 or rs2), s2 (aux secret) and s3 (PBX secret) both sides found in common.
import { equalBytes } from './bytes';
import { auxSecretId, secretId } from './cache';
import type { ZrtpCacheEntry } from './cache';
import type { HashSuite } from './algorithms';

export type SecretRole = 'Initiator' | 'Responder';

export interface SecretIds {
  readonly rs1Id: Uint8Array;
  readonly rs2Id: Uint8Array;
  readonly auxSecretId: Uint8Array;
  readonly pbxSecretId: Uint8Array;
}

export interface OwnSecrets {
  readonly entry: ZrtpCacheEntry | undefined;
  readonly auxSecret: Uint8Array | undefined;
}

/** Our IDs for the DHPart (§4.3.1); a secret we do not have gets a random ID that matches nothing. */
export function ownSecretIds(suite: HashSuite, own: OwnSecrets, ownH3: Uint8Array, role: SecretRole, random: (n: number) => Uint8Array): SecretIds {
  const id = (secret: Uint8Array | undefined) => (secret ? secretId(suite, secret, role) : random(8));
  return {
    rs1Id: id(own.entry?.rs1),
    rs2Id: id(own.entry?.rs2),
    auxSecretId: own.auxSecret ? auxSecretId(suite, own.auxSecret, ownH3) : random(8),
    pbxSecretId: id(own.entry?.pbxSecret),
  };
}

export interface SharedSecrets {
  readonly s1: Uint8Array | undefined;
  readonly s2: Uint8Array | undefined;
  readonly s3: Uint8Array | undefined;
  /** We hold a retained secret and the peer's IDs match neither (§4.3.2: possible MiTM). */
  readonly cacheMismatch: boolean;
}

/**
 * §4.3.2: s1 is our rs1, else our rs2, whichever matches either of the peer's rs1/rs2 IDs; s2 the
 * aux secret and s3 the PBX secret when their IDs match.
 */
export function matchSharedSecrets(suite: HashSuite, own: OwnSecrets, peerH3: Uint8Array, peer: SecretIds, peerRole: SecretRole): SharedSecrets {
  const matches = (secret: Uint8Array | undefined) => {
    if (!secret) return false;
    const expected = secretId(suite, secret, peerRole);
    return equalBytes(expected, peer.rs1Id) || equalBytes(expected, peer.rs2Id);
  };
  const { entry, auxSecret } = own;
  const s1 = matches(entry?.rs1) ? entry?.rs1 : matches(entry?.rs2) ? entry?.rs2 : undefined;
  const s2 = auxSecret && equalBytes(auxSecretId(suite, auxSecret, peerH3), peer.auxSecretId) ? auxSecret : undefined;
  const pbx = entry?.pbxSecret;
  const s3 = pbx && equalBytes(secretId(suite, pbx, peerRole), peer.pbxSecretId) ? pbx : undefined;
  return { s1, s2, s3, cacheMismatch: (entry?.rs1 !== undefined || entry?.rs2 !== undefined) && s1 === undefined };
}
