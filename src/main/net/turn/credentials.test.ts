// What 401 and 438 answers teach the TURN client (RFC 8489 §9.2.5).
import { describe, expect, it } from 'vitest';
import { AttributeType, StunMethod, encodeText, longTermKey, parseMessage, serializeMessage } from '../stun';
import type { StunMessage } from '../stun';
import { learnCredentials } from './credentials';

function errorWith(realm: string | undefined, nonce: string | undefined): StunMessage {
  const attributes = [];
  if (realm !== undefined) attributes.push({ type: AttributeType.Realm, value: encodeText(realm, 763) });
  if (nonce !== undefined) attributes.push({ type: AttributeType.Nonce, value: encodeText(nonce, 763) });
  const r = parseMessage(serializeMessage({ method: StunMethod.Allocate, cls: 'error', transactionId: new Uint8Array(12), attributes }));
  if (!r.ok) throw new Error(r.error);
  return r.message;
}

describe('TURN long-term credentials', () => {
  it('takes REALM and NONCE from a 401 and derives MD5(username:realm:password)', () => {
    const c = learnCredentials(errorWith('vouch.test', 'n1'), undefined, 'alice', 'secret');
    expect(c).toEqual({ realm: 'vouch.test', nonce: 'n1', key: longTermKey('alice', 'vouch.test', 'secret') });
  });

  it('learns nothing from an answer without REALM or NONCE', () => {
    expect(learnCredentials(errorWith(undefined, 'n1'), undefined, 'alice', 'secret')).toBeUndefined();
    expect(learnCredentials(errorWith('vouch.test', undefined), undefined, 'alice', 'secret')).toBeUndefined();
  });

  it('keeps the realm and key when a 438 brings only a new NONCE; a new REALM changes the key', () => {
    const known = learnCredentials(errorWith('vouch.test', 'n1'), undefined, 'alice', 'secret')!;
    expect(learnCredentials(errorWith(undefined, 'n2'), known, 'alice', 'secret')).toEqual({ ...known, nonce: 'n2' });
    const moved = learnCredentials(errorWith('other.test', 'n3'), known, 'alice', 'secret')!;
    expect(moved.key).toEqual(longTermKey('alice', 'other.test', 'secret'));
  });
});
