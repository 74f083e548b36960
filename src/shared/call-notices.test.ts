import { describe, expect, it } from 'vitest';
import type { CallInfo } from './api';
import { callNotices, incomingTag, missedTag, noticeContext } from './call-notices';

function info(patch: Partial<CallInfo>): CallInfo {
  return { callId: 4, direction: 'incoming', state: 'incoming', remoteUri: 'sip:bob@127.0.0.1', remoteName: 'Bob', startedAt: 1000, held: false, remoteHeld: false, muted: false, video: { local: 'off', remote: 'off', declinedByPeer: false }, ...patch } as CallInfo;
}
const away = { focused: false, name: 'Bob' };
const here = { focused: true, name: 'Bob' };

describe('who is calling, in the notice', () => {
  const bob = { id: 'c1', name: 'Bob Builder', address: 'sip:bob@127.0.0.1', notes: '', createdAt: 1, updatedAt: 1 };
  it("the contact's name, else the display name, else the address; and whether the key changed", () => {
    expect(noticeContext(info({}), [{ ...bob, security: { level: 'key-changed' } }], false)).toEqual({ focused: false, name: 'Bob Builder', keyChanged: true });
    expect(noticeContext(info({}), [{ ...bob, security: { level: 'verified', verifiedAt: 1, verifiedSas: 'abcd' } }], true)).toEqual({ focused: true, name: 'Bob Builder', keyChanged: false });
    expect(noticeContext(info({}), [], false).name).toBe('Bob');
    expect(noticeContext(info({ remoteName: '' }), [], false).name).toBe('sip:bob@127.0.0.1');
  });
});

describe('call notifications', () => {
  it('a call ringing while the window is in the background: one notice naming the caller, kept until acted on', () => {
    const ringing = info({});
    expect(callNotices(undefined, ringing, away)).toEqual([{ kind: 'show', tag: incomingTag(4), callId: 4, title: 'Bob is calling', body: 'Open Vouch to answer.', urgent: true }]);
    // The same call's later updates while it rings do not notify again.
    expect(callNotices(ringing, { ...ringing, remoteName: 'Bob B.' }, away)).toEqual([]);
  });

  it('says when the caller key changed since it was verified', () => {
    expect(callNotices(undefined, info({}), { ...away, keyChanged: true })[0]).toMatchObject({ body: 'Their key changed since you verified it.' });
  });

  it('nothing while the window has the focus: the ringing screen is in front of the user', () => {
    expect(callNotices(undefined, info({}), here)).toEqual([]);
  });

  it('answering takes the ringing notice back', () => {
    expect(callNotices(info({}), info({ state: 'connected', connectedAt: 2000 }), away)).toEqual([{ kind: 'close', tag: incomingTag(4) }]);
  });

  it('a call that rang out unanswered: the ringing notice goes, a missed-call notice comes', () => {
    const ended = info({ state: 'ended', endReason: 'cancelled', endedAt: 9000 });
    expect(callNotices(info({}), ended, away)).toEqual([
      { kind: 'close', tag: incomingTag(4) },
      { kind: 'show', tag: missedTag(4), callId: 4, title: 'Missed call from Bob', body: 'They hung up before you answered. Open Vouch to call back.', urgent: false },
    ]);
    expect(callNotices(ended, ended, away)).toEqual([]);
  });

  it('no missed-call notice for a call declined here, answered, outgoing, or seen in a focused window', () => {
    expect(callNotices(info({}), info({ state: 'ended', endReason: 'rejected' }), away).filter((a) => a.kind === 'show')).toEqual([]);
    expect(callNotices(info({ state: 'connected', connectedAt: 2 }), info({ state: 'ended', connectedAt: 2, endReason: 'remote-hangup' }), away)).toEqual([]);
    expect(callNotices(info({ direction: 'outgoing', state: 'calling' }), info({ direction: 'outgoing', state: 'ended', endReason: 'busy' }), away)).toEqual([]);
    expect(callNotices(info({}), info({ state: 'ended', endReason: 'cancelled' }), here)).toEqual([{ kind: 'close', tag: incomingTag(4) }]);
  });
});
