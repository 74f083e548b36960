// Why a call ended, as every front end says it.
import { describe, expect, it } from 'vitest';
import { OWN_SERVER_REFUSAL, describeEnd } from './end-words';
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
