// RFC 3263 resolution against a real DNS server (dnsmasq on 127.0.0.1, answering NAPTR, SRV,
// A and AAAA for the test zone), plus the pure parts (SRV order, NAPTR choice) and properties.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dnsmasq } from '../../../test/interop/dnsmasq/dnsmasq';
import { findPeer } from '../../../test/interop/peers';
import { SipParseError } from './errors';
import { orderSrv, resolveTargets, usableNaptr } from './resolve';
import type { DnsLookup, SrvRecord } from './resolve';
import { isDnsServer, nodeDnsLookup, parseDnsServers } from './resolve-dns';

const dnsmasq = findPeer('dnsmasq', 'dnsmasq-base');

/** Counts the queries a resolution makes, passing them to the real DNS. */
function counting(inner: DnsLookup): DnsLookup & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    naptr: (n) => (queries.push(`NAPTR ${n}`), inner.naptr(n)),
    srv: (n) => (queries.push(`SRV ${n}`), inner.srv(n)),
    addresses: (n) => (queries.push(`A ${n}`), inner.addresses(n)),
  };
}

describe.skipIf(!dnsmasq)('RFC 3263 resolution with a real DNS server (dnsmasq)', () => {
  let server: Dnsmasq;
  let dns: DnsLookup;

  beforeAll(async () => {
    server = await Dnsmasq.start(dnsmasq!, {
      zones: ['vouch.test'],
      naptr: [
        // TCP preferred by order, UDP second (§4.1).
        { name: 'naptr.vouch.test', order: 10, preference: 50, flags: 's', service: 'SIP+D2T', replacement: '_sip._tcp.naptr.vouch.test' },
        { name: 'naptr.vouch.test', order: 20, preference: 50, flags: 's', service: 'SIP+D2U', replacement: '_sip._udp.naptr.vouch.test' },
        // A service Vouch does not speak (SCTP) and a non-terminal flag are skipped.
        { name: 'naptr.vouch.test', order: 5, preference: 50, flags: 's', service: 'SIP+D2S', replacement: '_sip._sctp.naptr.vouch.test' },
        { name: 'naptr.vouch.test', order: 1, preference: 50, flags: 'a', service: 'SIP+D2U', replacement: 'elsewhere.vouch.test' },
      ],
      srv: [
        { name: '_sip._tcp.naptr.vouch.test', target: 'tcp1.vouch.test', port: 5071, priority: 10, weight: 0 },
        { name: '_sip._udp.naptr.vouch.test', target: 'udp1.vouch.test', port: 5072, priority: 10, weight: 0 },
        // No NAPTR here: SRV by priority.
        { name: '_sip._udp.srv.vouch.test', target: 'second.vouch.test', port: 5082, priority: 20, weight: 0 },
        { name: '_sip._udp.srv.vouch.test', target: 'first.vouch.test', port: 5081, priority: 10, weight: 0 },
        { name: '_sip._tcp.srv.vouch.test', target: 'first.vouch.test', port: 5083, priority: 10, weight: 0 },
        { name: '_sips._tcp.srv.vouch.test', target: 'first.vouch.test', port: 5084, priority: 10, weight: 0 },
      ],
      hosts: [
        { name: 'tcp1.vouch.test', addresses: ['127.0.0.1'] },
        { name: 'udp1.vouch.test', addresses: ['127.0.0.1', '::1'] },
        { name: 'first.vouch.test', addresses: ['127.0.0.1'] },
        { name: 'second.vouch.test', addresses: ['::1'] },
        { name: 'naptr.vouch.test', addresses: ['127.0.0.1'] },
        { name: 'plain.vouch.test', addresses: ['127.0.0.1', '::1'] },
      ],
    });
    dns = nodeDnsLookup({ servers: [server.server], timeoutMs: 500, tries: 1 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('NAPTR → SRV → A/AAAA: transports in NAPTR order, unusable records skipped (§4.1)', async () => {
    expect(await resolveTargets('sip:bob@naptr.vouch.test', dns)).toEqual([
      { protocol: 'TCP', host: '127.0.0.1', port: 5071 },
      { protocol: 'UDP', host: '127.0.0.1', port: 5072 },
      { protocol: 'UDP', host: '::1', port: 5072 },
    ]);
  });

  it('NAPTR services for transports we have not opened are left out', async () => {
    expect(await resolveTargets('sip:bob@naptr.vouch.test', dns, { supported: new Set(['UDP']) })).toEqual([
      { protocol: 'UDP', host: '127.0.0.1', port: 5072 },
      { protocol: 'UDP', host: '::1', port: 5072 },
    ]);
  });

  it('without NAPTR: SRV per transport, lowest priority first', async () => {
    expect(await resolveTargets('sip:bob@srv.vouch.test', dns)).toEqual([
      { protocol: 'UDP', host: '127.0.0.1', port: 5081 },
      { protocol: 'UDP', host: '::1', port: 5082 },
      { protocol: 'TCP', host: '127.0.0.1', port: 5083 },
      { protocol: 'TLS', host: '127.0.0.1', port: 5084 },
    ]);
  });

  it('transport=tcp asks only _sip._tcp; sips: only _sips._tcp (§4.2)', async () => {
    expect(await resolveTargets('sip:bob@srv.vouch.test;transport=tcp', dns)).toEqual([{ protocol: 'TCP', host: '127.0.0.1', port: 5083 }]);
    expect(await resolveTargets('sips:bob@srv.vouch.test', dns)).toEqual([{ protocol: 'TLS', host: '127.0.0.1', port: 5084 }]);
  });

  it('an explicit port skips NAPTR and SRV: A/AAAA of the host (§4.2)', async () => {
    const c = counting(dns);
    expect(await resolveTargets('sip:bob@naptr.vouch.test:5090', c)).toEqual([{ protocol: 'UDP', host: '127.0.0.1', port: 5090 }]);
    expect(c.queries).toEqual(['A naptr.vouch.test']);
  });

  it('a numeric host asks the DNS nothing; IPv6 references lose their brackets', async () => {
    const c = counting(dns);
    expect(await resolveTargets('sip:bob@127.0.0.1', c)).toEqual([{ protocol: 'UDP', host: '127.0.0.1', port: 5060 }]);
    expect(await resolveTargets('sips:bob@[::1]', c)).toEqual([{ protocol: 'TLS', host: '::1', port: 5061 }]);
    expect(await resolveTargets('sip:bob@127.0.0.1:5070;transport=TCP', c)).toEqual([{ protocol: 'TCP', host: '127.0.0.1', port: 5070 }]);
    expect(c.queries).toEqual([]);
  });

  it('no NAPTR, no SRV: A and AAAA with the default port; maddr names the server', async () => {
    expect(await resolveTargets('sip:bob@plain.vouch.test', dns)).toEqual([
      { protocol: 'UDP', host: '127.0.0.1', port: 5060 },
      { protocol: 'UDP', host: '::1', port: 5060 },
    ]);
    expect(await resolveTargets('sip:bob@nowhere.vouch.test;maddr=127.0.0.1', dns)).toEqual([{ protocol: 'UDP', host: '127.0.0.1', port: 5060 }]);
  });

  it('a name that does not exist resolves to nothing, quickly', async () => {
    const t0 = Date.now();
    expect(await resolveTargets('sip:bob@missing.vouch.test', dns)).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('RFC 3263 pure parts', () => {
  it('orderSrv: priorities ascending, and within one, every record once', () => {
    const rec = (name: string, priority: number, weight: number): SrvRecord => ({ name, port: 5060, priority, weight });
    const got = orderSrv([rec('c', 20, 0), rec('a', 10, 60), rec('b', 10, 40), rec('.', 5, 0)], () => 0.99);
    expect(got.map((r) => r.name)).toEqual(['b', 'a', 'c']);
    expect(orderSrv([rec('a', 10, 60), rec('b', 10, 40)], () => 0).map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('orderSrv property: a priority-sorted permutation of the usable records', () => {
    const record = fc.record({ name: fc.constantFrom('a.test', 'b.test', 'c.test', '.'), port: fc.integer({ min: 1, max: 65535 }), priority: fc.integer({ min: 0, max: 3 }), weight: fc.integer({ min: 0, max: 100 }) });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 12 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (records, r) => {
        const out = orderSrv(records, () => r);
        const usable = records.filter((x) => x.name !== '.');
        expect(out).toHaveLength(usable.length);
        expect([...out].sort((x, y) => x.priority - y.priority)).toEqual(out);
        for (const x of usable) expect(out).toContain(x);
      }),
    );
  });

  it('usableNaptr: a sips URI takes SIPS+D2T only', () => {
    const n = (service: string, order: number) => ({ flags: 'S', service, regexp: '', replacement: `_x.${order}.test.`, order, preference: 0 });
    const all = new Set(['UDP', 'TCP', 'TLS'] as const);
    expect(usableNaptr([n('SIP+D2U', 1), n('SIPS+D2T', 2)], 'sips', all)).toEqual([{ protocol: 'TLS', replacement: '_x.2.test' }]);
    expect(usableNaptr([n('SIPS+D2T', 2), n('SIP+D2U', 1)], 'sip', all).map((x) => x.protocol)).toEqual(['UDP', 'TLS']);
  });

  const uriLike = fc
    .tuple(fc.constantFrom('sip:', 'sips:', 'tel:', 'sip:bob@'), fc.string({ unit: fc.constantFrom(...'ab1.-:;=[]@%_tcpudlsmar'.split('')), maxLength: 40 }))
    .map(([a, b]) => a + b);

  it('resolveTargets never throws on arbitrary URIs, with a DNS that answers nothing', async () => {
    const empty: DnsLookup = { naptr: async () => [], srv: async () => [], addresses: async () => [] };
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 80 }), uriLike), async (text) => {
        const r = await resolveTargets(text, empty);
        expect(r instanceof SipParseError || Array.isArray(r)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a hostile DNS (hundreds of records) costs a bounded number of lookups and targets', async () => {
    let lookups = 0;
    const srv = Array.from({ length: 500 }, (_, i) => ({ name: `t${i}.test`, port: 5060, priority: i % 3, weight: 1 }));
    const naptr = Array.from({ length: 500 }, (_, i) => ({ flags: 's', service: 'SIP+D2U', regexp: '', replacement: `_sip._udp.n${i}.test`, order: i, preference: 0 }));
    const hostile: DnsLookup = {
      naptr: async () => naptr,
      srv: async () => (lookups++, srv),
      addresses: async () => (lookups++, ['127.0.0.1', '::1', '127.0.0.2']),
    };
    const r = await resolveTargets('sip:bob@evil.test', hostile);
    expect(Array.isArray(r) && r.length).toBeLessThanOrEqual(16);
    expect(lookups).toBeLessThanOrEqual(16 + 24);
  });

  it('DNS server lists: parsed and checked without throwing', () => {
    expect(parseDnsServers('127.0.0.1:5353, [::1]:53 ')).toEqual(['127.0.0.1:5353', '[::1]:53']);
    expect(['127.0.0.1', '127.0.0.1:5353', '[::1]:5353', '::1'].every(isDnsServer)).toBe(true);
    expect(['', 'dns.example', '127.0.0.1:0', '127.0.0.1:70000', '1.2.3'].some(isDnsServer)).toBe(false);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const list = parseDnsServers(s);
        expect(list.length).toBeLessThanOrEqual(8);
        for (const x of list) expect(typeof isDnsServer(x)).toBe('boolean');
      }),
    );
  });
});
