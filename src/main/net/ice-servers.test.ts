// STUN/TURN servers from the settings to addresses: the `host[:port]` parser on its own, then
// resolution through a real DNS server (dnsmasq on 127.0.0.1) the way calls do it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dnsmasq } from '../../../test/interop/dnsmasq/dnsmasq';
import { findPeer } from '../../../test/interop/peers';
import { nodeDnsLookup } from '../sip/resolve-dns';
import type { DnsLookup } from '../sip/resolve';
import { parseServerAddress, resolveIceServers, STUN_DEFAULT_PORT } from './ice-servers';

describe('parseServerAddress (host[:port], RFC 8489 §18.1 default port 3478)', () => {
  it.each([
    ['stun.example.org', { host: 'stun.example.org', port: 3478 }],
    ['stun.example.org:19302', { host: 'stun.example.org', port: 19302 }],
    ['127.0.0.1', { host: '127.0.0.1', port: 3478 }],
    ['127.0.0.1:5349', { host: '127.0.0.1', port: 5349 }],
    ['[::1]', { host: '::1', port: 3478 }],
    ['[2001:db8::1]:3479', { host: '2001:db8::1', port: 3479 }],
  ])('reads %s', (text, expected) => {
    expect(parseServerAddress(text)).toEqual(expected);
  });

  it.each(['', '::1', '2001:db8::1:3478', '[example.org]:3478', 'host:0', 'host:65536', 'host:', 'a b', 'turn:host', '.host', 'a..b', 'host:12ab'])('refuses %j', (text) => {
    expect(parseServerAddress(text)).toBeUndefined();
  });

  it('never throws, and what it reads writes back to the same server', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseServerAddress(text);
        if (r === undefined) return;
        expect(r.port).toBeGreaterThan(0);
        expect(r.port).toBeLessThanOrEqual(65535);
        const written = `${r.host.includes(':') ? `[${r.host}]` : r.host}:${r.port}`;
        expect(parseServerAddress(written)).toEqual(r);
      }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), (ip, port) => {
        const host = ip.includes(':') ? `[${ip}]` : ip;
        expect(parseServerAddress(port === undefined ? host : `${host}:${port}`)).toEqual({ host: ip, port: port ?? STUN_DEFAULT_PORT });
      }),
    );
  });
});

/** Fails the test if asked: IP literals must not go to DNS. */
const noDns: Pick<DnsLookup, 'addresses'> = {
  addresses: (name) => Promise.reject(new Error(`asked DNS for ${name}`)),
};

describe('resolveIceServers', () => {
  it('takes IP literals as they are, without asking DNS; TURN credentials go along', async () => {
    const r = await resolveIceServers(
      { enabled: true, stunServers: ['127.0.0.1', '[::1]:3479'], turnServers: [{ server: '127.0.0.1:3480', username: 'alice', password: 'pw' }, { server: '127.0.0.1', username: 'bob', transport: 'tcp' }] },
      noDns,
    );
    expect(r.problems).toEqual([]);
    expect(r.spec).toEqual({
      stun: [
        { family: 'IPv4', address: '127.0.0.1', port: 3478 },
        { family: 'IPv6', address: '::1', port: 3479 },
      ],
      turn: [
        { server: { family: 'IPv4', address: '127.0.0.1', port: 3480 }, username: 'alice', password: 'pw' },
        { server: { family: 'IPv4', address: '127.0.0.1', port: 3478 }, username: 'bob', password: '', transport: 'tcp' },
      ],
    });
  });

  it('a server written wrongly is left out and named', async () => {
    const r = await resolveIceServers({ enabled: true, stunServers: ['no way'], turnServers: [] }, noDns);
    expect(r.spec.stun).toEqual([]);
    expect(r.problems).toEqual(['STUN server no way: not host or host:port']);
  });
});

const dnsmasq = findPeer('dnsmasq', 'dnsmasq-base');

describe.skipIf(!dnsmasq)('resolveIceServers with a real DNS server (dnsmasq)', () => {
  let server: Dnsmasq;
  let dns: DnsLookup;

  beforeAll(async () => {
    server = await Dnsmasq.start(dnsmasq!, {
      zones: ['vouch.test'],
      hosts: [
        { name: 'stun.vouch.test', addresses: ['127.0.0.1'] },
        { name: 'turn.vouch.test', addresses: ['::1', '127.0.0.1'] },
        { name: 'v6.vouch.test', addresses: ['::1'] },
      ],
    });
    dns = nodeDnsLookup({ servers: [server.server], timeoutMs: 500, tries: 1 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('names become one address each, IPv4 first; unresolvable ones are skipped and named', async () => {
    const r = await resolveIceServers(
      {
        enabled: true,
        stunServers: ['stun.vouch.test', 'v6.vouch.test:3479', 'missing.vouch.test'],
        turnServers: [
          { server: 'turn.vouch.test:3480', username: 'alice', password: 'pw' },
          { server: 'gone.vouch.test', username: 'bob', password: 'pw2' },
        ],
      },
      dns,
    );
    expect(r.spec).toEqual({
      stun: [
        { family: 'IPv4', address: '127.0.0.1', port: 3478 },
        { family: 'IPv6', address: '::1', port: 3479 },
      ],
      turn: [{ server: { family: 'IPv4', address: '127.0.0.1', port: 3480 }, username: 'alice', password: 'pw' }],
    });
    expect(r.problems).toEqual(['STUN server missing.vouch.test: the name has no address (DNS)', 'TURN server gone.vouch.test: the name has no address (DNS)']);
  });
});
