import { describe, it, expect } from 'vitest';
import { matchSharedSecrets, ownSecretIds } from './shared-secrets';
import { HASH_SUITES } from './algorithms';
import { seededRandom } from './test-support';

const suite = HASH_SUITES.S256;
const random = seededRandom('shared-secrets');
const secret = (n: number) => new Uint8Array(32).fill(n);
const h3i = secret(0x33);
const h3r = secret(0x44);

describe('shared secrets (§4.3)', () => {
  it('uses rs1 when both hold it', () => {
    const own = { entry: { rs1: secret(1), rs2: secret(2), verified: false }, auxSecret: undefined };
    const peer = ownSecretIds(suite, { entry: { rs1: secret(1), verified: false }, auxSecret: undefined }, h3r, 'Responder', random);
    const m = matchSharedSecrets(suite, own, h3r, peer, 'Responder');
    expect(m.s1).toEqual(secret(1));
    expect(m.cacheMismatch).toBe(false);
  });

  it('falls back to our rs2 when the peer only has it (as its rs1 or rs2)', () => {
    const own = { entry: { rs1: secret(9), rs2: secret(2), verified: true }, auxSecret: undefined };
    for (const peerEntry of [{ rs1: secret(2), verified: false }, { rs1: secret(7), rs2: secret(2), verified: false }]) {
      const peer = ownSecretIds(suite, { entry: peerEntry, auxSecret: undefined }, h3r, 'Responder', random);
      const m = matchSharedSecrets(suite, own, h3r, peer, 'Responder');
      expect(m.s1).toEqual(secret(2));
      expect(m.cacheMismatch).toBe(false);
    }
  });

  it('reports a cache mismatch only when we hold a secret that matches nothing', () => {
    const peer = ownSecretIds(suite, { entry: undefined, auxSecret: undefined }, h3r, 'Responder', random);
    expect(matchSharedSecrets(suite, { entry: { rs1: secret(1), verified: true }, auxSecret: undefined }, h3r, peer, 'Responder').cacheMismatch).toBe(true);
    expect(matchSharedSecrets(suite, { entry: undefined, auxSecret: undefined }, h3r, peer, 'Responder').cacheMismatch).toBe(false);
  });

  it('matches the aux secret against the sender H3 and role labels keep directions apart', () => {
    const aux = secret(5);
    const peer = ownSecretIds(suite, { entry: { rs1: secret(1), verified: false }, auxSecret: aux }, h3i, 'Initiator', random);
    const m = matchSharedSecrets(suite, { entry: { rs1: secret(1), verified: false }, auxSecret: aux }, h3i, peer, 'Initiator');
    expect(m.s2).toEqual(aux);
    expect(m.s1).toEqual(secret(1));
    // IDs made with the Initiator label do not match when read as the Responder's.
    expect(matchSharedSecrets(suite, { entry: { rs1: secret(1), verified: false }, auxSecret: aux }, h3r, peer, 'Responder')).toMatchObject({ s1: undefined, s2: undefined, cacheMismatch: true });
  });
});
