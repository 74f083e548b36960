import { describe, expect, it } from 'vitest';
import type { CallInfo } from '../../shared/api';
import { historyEntryOf, historySecurityOf } from './history';

function ended(over: Partial<CallInfo>): CallInfo {
  return {
    callId: 3,
    direction: 'incoming',
    state: 'ended',
    remoteUri: 'sip:alice@127.0.0.1:5062',
    remoteName: 'Alice',
    startedAt: 1_000_000,
    endedAt: 1_000_000 + 95_400,
    held: false,
    remoteHeld: false,
    muted: false,
    video: { local: 'off', remote: 'off', declinedByPeer: false },
    ...over,
  };
}

describe('history entry of an ended call', () => {
  it('counts talk time from the answer, rounded to the second, and keeps Verified and video', () => {
    const e = historyEntryOf(3, ended({ connectedAt: 1_000_000 + 5_000, endReason: 'remote-hangup', video: { local: 'off', remote: 'on', declinedByPeer: false } }), true);
    expect(e).toMatchObject({ id: '1000000-3', callId: 3, durationSeconds: 90, missed: false, endReason: 'remote-hangup', verified: true, video: true, remoteName: 'Alice' });
  });
  it('an incoming call never answered is missed, unless the user rejected it; an outgoing one never is', () => {
    expect(historyEntryOf(3, ended({ endReason: 'cancelled' }), false)).toMatchObject({ missed: true, durationSeconds: 0 });
    expect(historyEntryOf(3, ended({ endReason: 'rejected' }), false).missed).toBe(false);
    expect(historyEntryOf(3, ended({ direction: 'outgoing', endReason: 'busy' }), false).missed).toBe(false);
  });
  it('a call that ended without a reason is recorded as failed', () => {
    expect(historyEntryOf(3, ended({}), false).endReason).toBe('failed');
  });
  it('keeps what protected the call, and whether its key changed, for the contact timeline', () => {
    const base = { mode: 'zrtp' as const, peerZid: 'aa'.repeat(12), sas: 'k4tz', details: { keyAgreement: 'X255', cipher: 'AES1', hash: 'S256', authTag: 'HS32', sasType: 'B32' as const, srtpSuite: 'AES_CM_128_HMAC_SHA1_80' } };
    const sec = historySecurityOf({ ...base, warnings: [] });
    expect(sec).toEqual({ mode: 'zrtp', peerZid: 'aa'.repeat(12), sas: 'k4tz', keyAgreement: 'X255', cipher: 'AES1', keyChanged: false });
    expect(historySecurityOf({ ...base, warnings: [{ kind: 'cache-mismatch', message: 'm' }] }).keyChanged).toBe(true);
    expect(historySecurityOf({ ...base, warnings: [{ kind: 'new-identity', message: 'm', previousZid: 'b', zid: 'c' }] }).keyChanged).toBe(true);
    expect(historySecurityOf({ ...base, warnings: [{ kind: 'zrtp-error', message: 'm' }] }).keyChanged).toBe(false);
    expect(historyEntryOf(3, ended({ endReason: 'remote-hangup' }), false, sec).security).toEqual(sec);
  });
});
