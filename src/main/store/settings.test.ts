import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings, mergeSettings, SettingsError, SettingsStore, toPublicSettings, validateSettings } from './settings';

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
    [{ ice: { enabled: 'yes' } }, 'ice.enabled'],
    [{ ice: { stunServers: ['stun.example.org', 'stun:example.org'] } }, 'ice.stunServers.1'],
    [{ ice: { stunServers: ['2001:db8::1'] } }, 'ice.stunServers.0'],
    [{ ice: { stunServers: Array.from({ length: 9 }, (_, i) => `stun${i}.example.org`) } }, 'ice.stunServers'],
    [{ ice: { stunServers: ['a'.repeat(257)] } }, 'ice.stunServers.0'],
    [{ ice: { turnServers: [{ server: 'turn.example.org:70000', username: 'u', password: 'p' }] } }, 'ice.turnServers.0.server'],
    [{ ice: { turnServers: [{ server: 'turn.example.org', username: '', password: 'p' }] } }, 'ice.turnServers.0.username'],
    [{ ice: { turnServers: [{ server: 'turn.example.org', username: 'u', password: 'p'.repeat(1025) }] } }, 'ice.turnServers.0.password'],
    [{ ice: { turnServers: [{ server: 'turn.example.org', username: 'u', password: 'p', transport: 'tls' }] } }, 'ice.turnServers.0.transport'],
    [{ ice: { turnServers: Array.from({ length: 9 }, () => ({ server: 'turn.example.org', username: 'u', password: 'p' })) } }, 'ice.turnServers'],
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

describe('post-quantum ZRTP in settings (issue 25)', () => {
  it('is on by default: X1M1 first, then the classic agreements', () => {
    expect(defaultSettings().zrtp.keyAgreement).toEqual(['X1M1', 'X255', 'EC25', 'DH3k', 'EC38']);
  });

  it('an old file with the untouched classic default gains X1M1 first; an edited list is left alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vouch-settings-'));
    try {
      const store = new SettingsStore(dir);
      const zrtp = { keyAgreement: ['X255', 'EC25', 'DH3k', 'EC38'], sasType: 'B256', cacheExpirySeconds: 0 };
      writeFileSync(store.path, JSON.stringify({ ...defaultSettings(), zrtp }));
      expect(store.load().settings.zrtp).toEqual({ ...zrtp, keyAgreement: ['X1M1', 'X255', 'EC25', 'DH3k', 'EC38'] });
      for (const edited of [['EC25', 'X255', 'DH3k', 'EC38'], ['X255', 'EC25', 'DH3k'], ['X255', 'EC25', 'DH3k', 'EC38', 'DH2k']]) {
        writeFileSync(store.path, JSON.stringify({ ...defaultSettings(), zrtp: { ...zrtp, keyAgreement: edited } }));
        expect(store.load().settings.zrtp.keyAgreement).toEqual(edited);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ICE settings', () => {
  const turn = { server: 'turn.example.org:3478', username: 'alice', password: 'secret' };

  it('default to ICE on with no servers, and accept up to 8 STUN and 8 TURN servers', () => {
    expect(defaultSettings().ice).toEqual({ enabled: true, stunServers: [], turnServers: [] });
    const s = mergeSettings(defaultSettings(), {
      ice: { stunServers: ['stun.example.org', '192.0.2.1:19302', '[2001:db8::1]:3479', ...Array.from({ length: 5 }, (_, i) => `s${i}.example.org`)], turnServers: Array.from({ length: 8 }, (_, i) => ({ ...turn, transport: i % 2 ? 'tcp' : 'udp' })) },
    });
    expect(() => validateSettings(s)).not.toThrow();
  });

  it('front ends see whether each TURN server has a password, never the password', () => {
    const pub = toPublicSettings(mergeSettings(defaultSettings(), { ice: { turnServers: [turn, { server: '192.0.2.7', username: 'bob' }] } }));
    expect(pub.ice.turnServers).toEqual([
      { server: 'turn.example.org:3478', username: 'alice', hasPassword: true },
      { server: '192.0.2.7', username: 'bob', hasPassword: false },
    ]);
    expect(JSON.stringify(pub)).not.toContain('secret');
  });

  it('a TURN list sent back without passwords keeps the stored one of the same server and user, and only that', () => {
    const stored = mergeSettings(defaultSettings(), { ice: { turnServers: [turn] } });
    const next = mergeSettings(stored, {
      ice: {
        turnServers: [
          { server: 'turn.example.org:3478', username: 'alice' },
          { server: 'turn.example.org:3478', username: 'mallory' },
          { server: 'other.example.org', username: 'alice' },
        ],
      },
    });
    expect(next.ice.turnServers.map((t) => t.password)).toEqual(['secret', undefined, undefined]);
    const changed = mergeSettings(stored, { ice: { turnServers: [{ ...turn, password: 'new' }] } });
    expect(changed.ice.turnServers[0].password).toBe('new');
    expect(mergeSettings(stored, { ice: { turnServers: [] } }).ice.turnServers).toEqual([]);
  });

  it('a file from before ICE loads with ICE on and everything else it held', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vouch-settings-'));
    try {
      const store = new SettingsStore(dir);
      const old: Record<string, unknown> = { ...defaultSettings(), sipPort: 5070, autoAnswer: true };
      delete old.ice;
      writeFileSync(store.path, JSON.stringify(old));
      const loaded = store.load();
      expect(loaded.warning).toBeUndefined();
      expect(loaded.settings).toEqual({ ...defaultSettings(), sipPort: 5070, autoAnswer: true });
      store.save(mergeSettings(loaded.settings, { ice: { enabled: false, turnServers: [turn] } }));
      expect(store.load().settings.ice).toEqual({ enabled: false, stunServers: [], turnServers: [turn] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
