import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { HistoryEntry, HistorySecurity } from './api';
import { addressKey, contactSecurity, contactTimeline } from './contact-security';

const BOB = 'sip:bob@127.0.0.1:5070';
const ZID_A = 'aa'.repeat(12);
const ZID_B = 'bb'.repeat(12);

let n = 0;
function call(at: number, over: Partial<HistoryEntry> = {}, sec: Partial<HistorySecurity> = {}): HistoryEntry {
  n += 1;
  return {
    id: `${at}-${n}`,
    callId: n,
    direction: 'outgoing',
    remoteUri: BOB,
    remoteName: 'Bob',
    startedAt: at,
    durationSeconds: 10,
    missed: false,
    endReason: 'local-hangup',
    verified: false,
    video: false,
    security: { mode: 'zrtp', peerZid: ZID_A, sas: 'k4tz', keyAgreement: 'X255', cipher: 'AES1', keyChanged: false, ...sec },
    ...over,
  };
}

describe('addressKey', () => {
  it('compares addresses without brackets, parameters and case', () => {
    expect(addressKey('"Bob" <SIP:Bob@127.0.0.1:5070;transport=tcp>')).toBe('sip:bob@127.0.0.1:5070');
    expect(addressKey(' sip:bob@127.0.0.1:5070?subject=x')).toBe('sip:bob@127.0.0.1:5070');
  });
  it('never throws on any text', () => {
    fc.assert(fc.property(fc.string(), (s) => typeof addressKey(s) === 'string'));
  });
});

describe('contact security', () => {
  it('is never-called without calls or a cached identity', () => {
    expect(contactSecurity(BOB, [call(1, { remoteUri: 'sip:carol@127.0.0.1' })])).toEqual({ level: 'never-called' });
  });
  it('is not-verified after calls whose code nobody confirmed', () => {
    expect(contactSecurity(BOB, [call(1), call(2)], { zid: ZID_A, verified: false })).toEqual({ level: 'not-verified' });
  });
  it('is verified with when and which code, from the call where the code was confirmed', () => {
    const h = [call(3, { verified: true }, { sas: 'later' }), call(2, { verified: true }, { sas: 'x7qa' }), call(1)];
    expect(contactSecurity(BOB, h, { zid: ZID_A, verified: true })).toEqual({ level: 'verified', verifiedAt: 2, verifiedSas: 'x7qa' });
  });
  it('is key-changed when a new identity answers after verification', () => {
    const h = [call(1, { verified: true }), call(5, {}, { peerZid: ZID_B })];
    expect(contactSecurity(BOB, h, { zid: ZID_B, verified: false })).toEqual({ level: 'key-changed', verifiedAt: 1, verifiedSas: 'k4tz', changedAt: 5 });
    // The history alone says the same when the cache was reset.
    expect(contactSecurity(BOB, h).level).toBe('key-changed');
  });
  it('is key-changed on a cache mismatch and on a code that did not match', () => {
    expect(contactSecurity(BOB, [call(1, { verified: true }), call(2, {}, { keyChanged: true })], { zid: ZID_A, verified: false }).level).toBe('key-changed');
    expect(contactSecurity(BOB, [call(1, { endReason: 'sas-mismatch' })], { zid: ZID_A, verified: false })).toMatchObject({ level: 'key-changed', changedAt: 1 });
  });
  it('is verified again once the new key is verified', () => {
    const h = [call(1, { verified: true }), call(5, {}, { peerZid: ZID_B }), call(6, { verified: true }, { peerZid: ZID_B, sas: 'nw12' })];
    expect(contactSecurity(BOB, h, { zid: ZID_B, verified: true })).toEqual({ level: 'verified', verifiedAt: 6, verifiedSas: 'nw12' });
  });
});

describe('contact timeline', () => {
  it('lists first call, each call with key agreement and cipher, verifications and key changes, oldest first', () => {
    const h = [call(6, { verified: true }, { peerZid: ZID_B, sas: 'nw12' }), call(5, {}, { peerZid: ZID_B }), call(2, { verified: true }), call(1, { direction: 'incoming' })];
    expect(contactTimeline(BOB, h).map((t) => `${t.kind}@${t.at}`)).toEqual([
      'first-call@1',
      'call@1',
      'call@2',
      'verified@2',
      'call@5',
      'key-changed@5',
      'call@6',
      'verified@6',
    ]);
    expect(contactTimeline(BOB, h)[1]).toMatchObject({ kind: 'call', keyAgreement: 'X255', cipher: 'AES1', mode: 'zrtp' });
  });
  it('records a verified call once, not on every later call that the cache keeps verified', () => {
    expect(contactTimeline(BOB, [call(1, { verified: true }), call(2, { verified: true })]).filter((t) => t.kind === 'verified')).toHaveLength(1);
  });
  it('takes old entries without security facts', () => {
    const old = { ...call(1), security: undefined };
    expect(contactTimeline(BOB, [old])[1]).toMatchObject({ kind: 'call', mode: 'none', keyAgreement: '' });
  });
});
