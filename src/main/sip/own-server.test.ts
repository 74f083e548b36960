// Who is the account's own server (own-server.ts): pure checks on addresses; nothing is sent.
import { describe, expect, it } from 'vitest';
import { NOT_OWN_SERVER, OwnServer } from './own-server';

const udp = (host: string, port: number) => ({ protocol: 'UDP' as const, host, port });

describe('OwnServer', () => {
  it('is the configured host and port (any port when none is configured), nobody else', () => {
    const s = new OwnServer(['sip:127.0.0.1:5070', 'sip:proxy.example.org;lr']);
    expect(s.refusal(udp('127.0.0.1', 5070), 'r')).toBeUndefined();
    expect(s.refusal(udp('127.0.0.1', 5071), 'r')).toBe(NOT_OWN_SERVER);
    expect(s.refusal(udp('PROXY.example.org', 5999), 'r')).toBeUndefined();
    expect(s.refusal(udp('203.0.113.9', 5060), 'r')).toBe(NOT_OWN_SERVER);
    expect(new OwnServer([undefined, undefined]).refusal(udp('127.0.0.1', 5060), 'r')).toBe(NOT_OWN_SERVER);
  });

  it('takes in the servers RFC 3263 found for the registrar URI, and only for it', () => {
    const s = new OwnServer(['sip:example.org;transport=tls']);
    const srvTarget = { protocol: 'TLS' as const, host: '203.0.113.20', port: 5081 };
    expect(s.refusal(srvTarget, 'example.org')).toBe(NOT_OWN_SERVER);
    s.addTargets('sip:bob@elsewhere.example', [udp('203.0.113.30', 5060)]);
    expect(s.refusal(udp('203.0.113.30', 5060), 'r')).toBe(NOT_OWN_SERVER);
    s.addTargets('sip:example.org;transport=tls', [srvTarget]);
    s.addTargets('sip:example.org;transport=tls', [srvTarget]);
    expect(s.refusal(srvTarget, 'example.org')).toBeUndefined();
    expect(s.refusal({ ...srvTarget, port: 5082 }, 'example.org')).toBe(NOT_OWN_SERVER);
  });

  it('holds challenges to the configured realm, else to the one learned at registration', () => {
    const learned = new OwnServer(['sip:127.0.0.1:5070']);
    expect(learned.refusal(udp('127.0.0.1', 5070), 'anything')).toBeUndefined();
    learned.learn('vouch.test');
    expect(learned.refusal(udp('127.0.0.1', 5070), 'vouch.test')).toBeUndefined();
    expect(learned.refusal(udp('127.0.0.1', 5070), 'evil\u0007realm')).toMatch(/realm "evil\?realm" came through your server; Vouch only answers for "vouch.test"/);
    const configured = new OwnServer(['sip:127.0.0.1:5070'], 'pbx');
    configured.learn('other');
    expect(configured.realm).toBe('pbx');
    expect(configured.refusal(udp('127.0.0.1', 5070), 'other')).toMatch(/realm "other"/);
  });

  it('before any realm is known, the first one answered is pinned: a second realm through the same server gets nothing', () => {
    const s = new OwnServer(['sip:127.0.0.1:5070']);
    expect(s.refusal(udp('127.0.0.1', 5070), 'vouch.test')).toBeUndefined();
    expect(s.realm).toBe('vouch.test');
    expect(s.refusal(udp('127.0.0.1', 5070), 'relayed.example')).toMatch(/realm "relayed.example" came through your server/);
    expect(s.refusal(udp('127.0.0.1', 5070), 'vouch.test')).toBeUndefined();
  });
});
