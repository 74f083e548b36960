// Authenticating incoming checks and building the answers (RFC 8445 §7.3, RFC 8489 §9.1.3).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AttributeType,
  StunMethod,
  checkFingerprint,
  checkMessageIntegrity,
  decodeErrorCode,
  decodeXorMappedAddress,
  getAttribute,
  parseMessage,
  serializeSigned,
  shortTermKey,
} from '../stun/index';
import type { StunMessage } from '../stun/index';
import { checkRequestAttributes, errorResponse, readCheckRequest, resolveRoleConflict, successResponse } from './messages';

const TID = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
const PWD = 'local-password-0123456789';
const passwords = new Map([['lufr', PWD]]);

function request(opts: { username?: string; key?: string; useCandidate?: boolean; fingerprint?: boolean; controlling?: boolean } = {}): StunMessage {
  const attributes = checkRequestAttributes({
    username: opts.username ?? 'lufr:rufr',
    priority: 1845501695,
    controlling: opts.controlling ?? true,
    tieBreaker: 0x0102030405060708n,
    useCandidate: opts.useCandidate ?? false,
  });
  const bytes = serializeSigned(
    { method: StunMethod.Binding, cls: 'request', transactionId: TID, attributes },
    { integrity: opts.key === '' ? undefined : shortTermKey(opts.key ?? PWD), fingerprint: opts.fingerprint ?? true },
  );
  const m = parseMessage(bytes);
  if (!m.ok) throw new Error(m.error);
  return m.message;
}

describe('readCheckRequest', () => {
  it('reads an authenticated check', () => {
    expect(readCheckRequest(request({ useCandidate: true }), passwords)).toEqual({
      ok: true,
      pwd: PWD,
      check: { localUfrag: 'lufr', remoteUfrag: 'rufr', priority: 1845501695, useCandidate: true, peerRole: { controlling: true, tieBreaker: 0x0102030405060708n } },
    });
    const controlled = readCheckRequest(request({ controlling: false }), passwords);
    expect(controlled.ok && controlled.check.peerRole?.controlling).toBe(false);
  });

  it('answers 400 without MESSAGE-INTEGRITY, 401 for an unknown ufrag or a wrong key', () => {
    expect(readCheckRequest(request({ key: '' }), passwords)).toEqual({ ok: false, status: 400 });
    expect(readCheckRequest(request({ username: 'other:rufr' }), passwords)).toEqual({ ok: false, status: 401 });
    expect(readCheckRequest(request({ username: 'lufr' }), passwords)).toEqual({ ok: false, status: 401 });
    expect(readCheckRequest(request({ key: 'wrong-password-0123456789' }), passwords)).toEqual({ ok: false, status: 401 });
  });

  it('drops a request whose FINGERPRINT is wrong', () => {
    const m = request();
    const raw = m.raw.slice();
    raw[raw.length - 1] ^= 1;
    const parsed = parseMessage(raw);
    expect(parsed.ok && readCheckRequest(parsed.message, passwords)).toEqual({ ok: false, status: 'drop' });
  });

  it('never throws on random Binding requests (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const bytes = new Uint8Array(20 + (tail.length & ~3));
        bytes.set([0, 1, (tail.length & ~3) >> 8, (tail.length & ~3) & 0xff, 0x21, 0x12, 0xa4, 0x42]);
        bytes.set(tail.subarray(0, tail.length & ~3), 20);
        const m = parseMessage(bytes);
        if (m.ok) expect(typeof readCheckRequest(m.message, passwords).ok).toBe('boolean');
      }),
    );
  });
});

describe('responses', () => {
  it('success carries XOR-MAPPED-ADDRESS of the source, MESSAGE-INTEGRITY and FINGERPRINT (§7.3.1.2)', () => {
    const source = { family: 'IPv6', address: '2001:db8::7', port: 3478 } as const;
    const m = parseMessage(successResponse(TID, source, PWD));
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.message.cls).toBe('success');
    expect(decodeXorMappedAddress(getAttribute(m.message, AttributeType.XorMappedAddress)!.value, TID)).toEqual(source);
    expect(checkMessageIntegrity(m.message, shortTermKey(PWD))).toBe('valid');
    expect(checkFingerprint(m.message)).toBe('valid');
  });

  it('487 is signed, 400/401 are not', () => {
    const signed = parseMessage(errorResponse(TID, 487, PWD));
    expect(signed.ok && decodeErrorCode(getAttribute(signed.message, AttributeType.ErrorCode)!.value)).toEqual({ code: 487, reason: 'Role Conflict' });
    expect(signed.ok && checkMessageIntegrity(signed.message, shortTermKey(PWD))).toBe('valid');
    const unsigned = parseMessage(errorResponse(TID, 401));
    expect(unsigned.ok && checkMessageIntegrity(unsigned.message, shortTermKey(PWD))).toBe('absent');
  });
});

describe('resolveRoleConflict (RFC 8445 §7.3.1.1)', () => {
  it.each([
    [true, 5n, { controlling: false, tieBreaker: 9n }, 'none'],
    [true, 9n, { controlling: true, tieBreaker: 5n }, 'reply-487'],
    [true, 5n, { controlling: true, tieBreaker: 5n }, 'reply-487'],
    [true, 5n, { controlling: true, tieBreaker: 9n }, 'switch'],
    [false, 9n, { controlling: false, tieBreaker: 5n }, 'switch'],
    [false, 5n, { controlling: false, tieBreaker: 5n }, 'switch'],
    [false, 5n, { controlling: false, tieBreaker: 9n }, 'reply-487'],
    [false, 5n, undefined, 'none'],
  ] as const)('controlling=%s tie-breaker %s vs %o: %s', (controlling, ours, peer, expected) => {
    expect(resolveRoleConflict(controlling, ours, peer)).toBe(expected);
  });
});
