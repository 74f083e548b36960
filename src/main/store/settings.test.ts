import { describe, it, expect } from 'vitest';
import { defaultSettings, mergeSettings, SettingsError, validateSettings } from './settings';

describe('settings validation', () => {
  it('accepts the defaults (ZRTP required)', () => {
    const s = defaultSettings();
    expect(() => validateSettings(s)).not.toThrow();
    expect(s.mediaSecurity).toBe('zrtp-required');
  });

  it.each([
    [{ account: { directIpOnly: false, address: 'alice' } }, 'account.address'],
    [{ account: { directIpOnly: false, address: 'sip:alice@example.org', server: 'bad host!' } }, 'account.server'],
    [{ account: { transport: 'sctp' } }, 'account.transport'],
    [{ mediaSecurity: 'maybe' }, 'mediaSecurity'],
    [{ zrtp: { keyAgreement: [] } }, 'zrtp.keyAgreement'],
    [{ zrtp: { sasType: 'B64' } }, 'zrtp.sasType'],
    [{ audioCodecs: ['g729'] }, 'audioCodecs'],
    [{ rtpPortMin: -1 }, 'rtpPortMin'],
  ])('names the bad field %#', (patch, field) => {
    try {
      validateSettings(mergeSettings(defaultSettings(), patch as never));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SettingsError);
      expect((e as SettingsError).field).toBe(field);
      expect((e as Error).message.startsWith(field + ':')).toBe(true);
    }
  });
});
