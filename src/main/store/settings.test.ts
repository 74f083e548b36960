import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings, mergeSettings, SettingsError, SettingsStore, validateSettings } from './settings';

describe('settings validation', () => {
  it('accepts the defaults (ZRTP required)', () => {
    const s = defaultSettings();
    expect(() => validateSettings(s)).not.toThrow();
    expect(s.mediaSecurity).toBe('zrtp-required');
  });

  it('accepts an outbound proxy, DNS servers and a keep-alive interval (25 s by default)', () => {
    expect(defaultSettings().keepAliveSeconds).toBe(25);
    const s = mergeSettings(defaultSettings(), { account: { outboundProxy: '127.0.0.1:5070;transport=tcp' }, dnsServers: ['127.0.0.1:5353', '[::1]:53'], keepAliveSeconds: 0 });
    expect(() => validateSettings(s)).not.toThrow();
  });

  it.each([
    [{ account: { directIpOnly: false, address: 'alice' } }, 'account.address'],
    [{ account: { directIpOnly: false, address: 'sip:alice@example.org', server: 'bad host!' } }, 'account.server'],
    [{ account: { transport: 'sctp' } }, 'account.transport'],
    [{ mediaSecurity: 'maybe' }, 'mediaSecurity'],
    [{ zrtp: { keyAgreement: [] } }, 'zrtp.keyAgreement'],
    [{ zrtp: { sasType: 'B64' } }, 'zrtp.sasType'],
    [{ audioCodecs: ['g729'] }, 'audioCodecs'],
    [{ sipTlsPort: 65536 }, 'sipTlsPort'],
    [{ sipHost: 'example.org' }, 'sipHost'],
    [{ account: { outboundProxy: 'bob@pbx.example.org' } }, 'account.outboundProxy'],
    [{ account: { outboundProxy: 'pbx.example.org;transport=sctp' } }, 'account.outboundProxy'],
    [{ dnsServers: ['dns.example.org'] }, 'dnsServers'],
    [{ keepAliveSeconds: -1 }, 'keepAliveSeconds'],
    [{ keepAliveSeconds: 2.5 }, 'keepAliveSeconds'],
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

describe('retired settings', () => {
  it('a file holding rtpPortMin (no longer a setting) loads with everything else it holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vouch-settings-'));
    try {
      const store = new SettingsStore(dir);
      writeFileSync(store.path, JSON.stringify({ ...defaultSettings(), rtpPortMin: 40000, sipPort: 5070, autoAnswer: true }));
      const loaded = store.load();
      expect(loaded.warning).toBeUndefined();
      expect(loaded.settings).toEqual({ ...defaultSettings(), sipPort: 5070, autoAnswer: true });
      expect(() => mergeSettings(defaultSettings(), { rtpPortMin: 1 } as never)).toThrow(SettingsError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SIP ports in settings', () => {
  it('default to 5060 (UDP and TCP) and 5061 (TLS)', () => {
    expect([defaultSettings().sipPort, defaultSettings().sipTlsPort]).toEqual([5060, 5061]);
  });

  it("an old file's sipPort 0 (the old default) becomes 5060; a 0 saved since stays a choice", () => {
    const dir = mkdtempSync(join(tmpdir(), 'vouch-settings-'));
    try {
      const store = new SettingsStore(dir);
      const old: Record<string, unknown> = { ...defaultSettings(), sipPort: 0 };
      delete old.sipTlsPort;
      writeFileSync(store.path, JSON.stringify(old));
      expect(store.load().settings.sipPort).toBe(5060);
      store.save({ ...defaultSettings(), sipPort: 0 });
      expect(store.load().settings.sipPort).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
