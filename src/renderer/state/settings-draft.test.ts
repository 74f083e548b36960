import { describe, it, expect } from 'vitest';
import { publicSettings } from './fixtures';
import { settingsDraftOf, settingsPatch } from './settings-draft';

describe('settings draft', () => {
  it('round-trips settings into a patch AppCore accepts, without a password when none was typed', () => {
    const draft = settingsDraftOf(publicSettings());
    const patch = settingsPatch(draft);
    expect(patch.zrtp).toEqual({ keyAgreement: ['X255', 'EC25', 'DH3k', 'EC38'], sasType: 'B32' });
    expect(patch.account?.password).toBeUndefined();
    expect(patch.account?.displayName).toBe('Alice');
    expect(patch.devices).toEqual({ microphoneId: 'default', speakerId: 'default', cameraId: 'default' });
    expect(patch.ice).toEqual({ enabled: true, stunServers: [], turnServers: [] });
    expect(patch.callWaiting).toBe(false);
    expect(settingsPatch({ ...draft, callWaiting: true }).callWaiting).toBe(true);
  });

  it('sends a typed password for a server account, trims text and clears the server in direct-IP mode', () => {
    const draft = settingsDraftOf(publicSettings());
    draft.account = { ...draft.account, displayName: ' Al ', password: 'pw', directIpOnly: false, server: ' sip.example.org ' };
    expect(settingsPatch(draft).account).toMatchObject({ displayName: 'Al', password: 'pw', server: 'sip.example.org' });
    draft.account.directIpOnly = true;
    expect(settingsPatch(draft).account).toMatchObject({ server: '' });
    expect(settingsPatch(draft).account?.password).toBeUndefined();
  });

  it('the draft is a copy: editing it leaves the settings alone', () => {
    const s = publicSettings();
    const draft = settingsDraftOf(s);
    draft.keyAgreement.reverse();
    draft.audioCodecs.pop();
    expect(s.zrtp.keyAgreement[0]).toBe('X255');
    expect(s.audioCodecs).toHaveLength(3);
  });
});
