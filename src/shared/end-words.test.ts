// Why a call ended, as every front end says it.
import { describe, expect, it } from 'vitest';
import { OWN_SERVER_REFUSAL, describeEnd, endWords, personOf } from './end-words';
import { endedCall as ended } from './test-support';


describe('describeEnd', () => {
  it("says Vouch's own refusal of a challenge as a sentence, with no status and no server, in both modes", () => {
    for (const sipStatus of [401, 407]) {
      const call = ended({ endReason: 'failed', sipStatus, sipReason: OWN_SERVER_REFUSAL });
      expect(describeEnd(call, true)).toBe('The other side asked for your password; Vouch only gives it to your own server.');
      expect(describeEnd(call, false)).toBe('The other side asked for your password; Vouch only gives it to your own server.');
    }
  });

  it("a peer's reason phrase stays framed as its status, even one that copies Vouch's sentence under another status", () => {
    expect(describeEnd(ended({ endReason: 'failed', sipStatus: 401, sipReason: 'Unauthorized' }), true)).toBe('The call failed. (401 Unauthorized)');
    expect(describeEnd(ended({ endReason: 'rejected', sipStatus: 403, sipReason: OWN_SERVER_REFUSAL }), true)).toBe(`The call was declined. (403 ${OWN_SERVER_REFUSAL})`);
  });
});

describe('endWords', () => {
  it("says a failed direct call in a person's words, the SIP status only in the detail", () => {
    const call = ended({ remoteUri: 'sip:bob@192.0.2.7:5060', remoteName: '', direction: 'outgoing', endReason: 'timeout', sipStatus: 408, sipReason: 'Request Timeout (Timer B)' });
    const w = endWords(call, true);
    expect(w.text).toBe("Bob's phone didn't answer. It may be off, or not reachable from here.");
    expect(w.text).not.toMatch(/408|server|Timer/);
    expect(w.detail).toBe('SIP 408 Request Timeout (Timer B) from 192.0.2.7 (a direct call, no server); end reason: timeout');
    expect(endWords(call, false).detail).toMatch(/from the server/);
  });
  it('names who did what', () => {
    expect(endWords(ended({ remoteName: 'Carol', endReason: 'busy', sipStatus: 486, sipReason: 'Busy Here' })).text).toBe('Carol is busy.');
    expect(endWords(ended({ remoteName: 'Carol', endReason: 'not-found', sipStatus: 404 })).text).toBe('Nobody is reachable at that address.');
    expect(endWords(ended({ remoteName: 'Carol', endReason: 'remote-hangup' }))).toEqual({ text: 'Carol hung up.', detail: 'end reason: remote-hangup' });
    expect(personOf({ remoteName: '', remoteUri: 'sip:192.0.2.9' })).toBe('192.0.2.9');
  });
});
