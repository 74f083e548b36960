// Candidate priority, foundation and pair priority with worked numbers (RFC 8445 §5.1.2, §6.1.2.3),
// and the a=candidate grammar (RFC 8839 §5.1) with property tests.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { candidatePriority, computeFoundation, formatCandidate, makeCandidate, pairPriority, parseCandidate } from './candidate';
import type { Candidate, CandidateType } from './candidate';

describe('candidate priority (RFC 8445 §5.1.2.1)', () => {
  it('gives the worked values for the recommended type preferences', () => {
    // 2^24·126 + 2^8·65535 + (256 − 1) = 2113929216 + 16776960 + 255
    expect(candidatePriority('host', 65535, 1)).toBe(2130706431);
    expect(candidatePriority('host', 65535, 2)).toBe(2130706430);
    expect(candidatePriority('prflx', 65535, 1)).toBe(110 * 2 ** 24 + 16776960 + 255);
    expect(candidatePriority('srflx', 65535, 1)).toBe(1694498815);
    expect(candidatePriority('relay', 65535, 1)).toBe(16777215);
    expect(candidatePriority('host', 0, 256)).toBe(2113929216);
  });

  it('rejects out-of-range local preference and component', () => {
    expect(() => candidatePriority('host', 65536, 1)).toThrow(RangeError);
    expect(() => candidatePriority('host', 1, 0)).toThrow(RangeError);
    expect(() => candidatePriority('host', 1, 257)).toThrow(RangeError);
  });

  it('orders host > prflx > srflx > relay whatever the local preference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 1, max: 256 }), (a, b, c) => {
        expect(candidatePriority('host', a, c)).toBeGreaterThan(candidatePriority('prflx', b, c));
        expect(candidatePriority('prflx', a, c)).toBeGreaterThan(candidatePriority('srflx', b, c));
        expect(candidatePriority('srflx', a, c)).toBeGreaterThan(candidatePriority('relay', b, c));
      }),
    );
  });
});

describe('pair priority (RFC 8445 §6.1.2.3)', () => {
  it('gives the worked value for host (controlling) × srflx (controlled)', () => {
    // 2^32·1694498815 + 2·2130706431 + 1
    expect(pairPriority(2130706431, 1694498815)).toBe(7277816997797167103n);
    // Same candidates with the roles swapped: G < D, so no +1.
    expect(pairPriority(1694498815, 2130706431)).toBe(7277816997797167102n);
    expect(pairPriority(0xffffffff, 0xffffffff)).toBe((0xffffffffn << 32n) + 2n * 0xffffffffn);
  });

  it('is symmetric in min/max and differs by the G>D bit only', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0xffffffff }), fc.integer({ min: 1, max: 0xffffffff }), (g, d) => {
        const a = pairPriority(g, d);
        const b = pairPriority(d, g);
        expect(a - b).toBe(g > d ? 1n : g < d ? -1n : 0n);
        expect(a).toBe(BigInt(Math.min(g, d)) * 2n ** 32n + 2n * BigInt(Math.max(g, d)) + (g > d ? 1n : 0n));
        expect(a < 1n << 64n).toBe(true);
      }),
    );
  });
});

describe('foundation (RFC 8445 §5.1.1.3)', () => {
  it('is equal for same type, base IP, server and transport, different otherwise', () => {
    const f = computeFoundation('srflx', '192.168.1.2', '198.51.100.1');
    expect(computeFoundation('srflx', '192.168.1.2', '198.51.100.1', 'UDP')).toBe(f);
    expect(computeFoundation('srflx', '192.168.1.3', '198.51.100.1')).not.toBe(f);
    expect(computeFoundation('srflx', '192.168.1.2', '198.51.100.2')).not.toBe(f);
    expect(computeFoundation('relay', '192.168.1.2', '198.51.100.1')).not.toBe(f);
    expect(computeFoundation('srflx', '192.168.1.2', '198.51.100.1', 'tcp')).not.toBe(f);
    expect(f).toMatch(/^[0-9]{1,10}$/);
  });

  it('makeCandidate fills priority, foundation and raddr/rport', () => {
    const base = { family: 'IPv4', address: '10.0.0.2', port: 5000 } as const;
    const host = makeCandidate({ type: 'host', address: base });
    expect(host).toEqual({ foundation: computeFoundation('host', '10.0.0.2', undefined), component: 1, transport: 'udp', priority: 2130706431, address: '10.0.0.2', port: 5000, type: 'host' });
    const srflx = makeCandidate({ type: 'srflx', address: { family: 'IPv4', address: '203.0.113.9', port: 6000 }, base, serverAddress: '198.51.100.1' });
    expect(srflx.priority).toBe(1694498815);
    expect(srflx.relatedAddress).toBe('10.0.0.2');
    expect(srflx.relatedPort).toBe(5000);
  });
});

describe('a=candidate (RFC 8839 §5.1)', () => {
  it('parses the RFC 8839 §5.1 example lines', () => {
    const host = parseCandidate('1 1 UDP 2130706431 203.0.113.141 8998 typ host');
    expect(host).toEqual({ ok: true, candidate: { foundation: '1', component: 1, transport: 'udp', priority: 2130706431, address: '203.0.113.141', port: 8998, type: 'host' } });
    const srflx = parseCandidate('candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998 generation 0');
    expect(srflx.ok && srflx.candidate).toEqual({
      foundation: '2',
      component: 1,
      transport: 'udp',
      priority: 1694498815,
      address: '192.0.2.3',
      port: 45664,
      type: 'srflx',
      relatedAddress: '10.0.1.1',
      relatedPort: 8998,
      extensions: [{ name: 'generation', value: '0' }],
    });
    expect(formatCandidate(srflx.ok ? srflx.candidate : (undefined as never))).toBe('2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998 generation 0');
  });

  it('normalizes IPv6 and accepts an FQDN (mDNS) address', () => {
    const v6 = parseCandidate('a+/9 2 udp 16777215 2001:DB8:0:0:0:0:0:1 3478 typ relay raddr 2001:db8::2 rport 1');
    expect(v6.ok && v6.candidate.address).toBe('2001:db8::1');
    const mdns = parseCandidate('1 1 udp 2130706431 4f6b1e9c-e2d3-4a34.local 50000 typ host');
    expect(mdns.ok && mdns.candidate.address).toBe('4f6b1e9c-e2d3-4a34.local');
  });

  it.each([
    ['1 1 UDP 2130706431 203.0.113.141 8998 typ', 'too-few-fields'],
    ['1  1 UDP 2130706431 203.0.113.141 8998 typ host', 'too-few-fields'],
    ['f_x 1 UDP 2130706431 203.0.113.141 8998 typ host', 'bad-foundation'],
    ['123456789012345678901234567890123 1 UDP 1 203.0.113.141 8998 typ host', 'bad-foundation'],
    ['1 0 UDP 2130706431 203.0.113.141 8998 typ host', 'bad-component'],
    ['1 257 UDP 2130706431 203.0.113.141 8998 typ host', 'bad-component'],
    ['1 1 U(P 2130706431 203.0.113.141 8998 typ host', 'bad-transport'],
    ['1 1 UDP 4294967296 203.0.113.141 8998 typ host', 'bad-priority'],
    ['1 1 UDP 0 203.0.113.141 8998 typ host', 'bad-priority'],
    ['1 1 UDP 1 203.0.113.256 8998 typ host', 'bad-address'],
    ['1 1 UDP 1 203.0.113.1 65536 typ host', 'bad-port'],
    ['1 1 UDP 1 203.0.113.1 1 type host', 'bad-type'],
    ['1 1 UDP 1 203.0.113.1 1 typ stun', 'bad-type'],
    ['1 1 UDP 1 203.0.113.1 1 typ srflx raddr', 'bad-related-address'],
    ['1 1 UDP 1 203.0.113.1 1 typ srflx raddr 10.0.0.1 rport x', 'bad-related-address'],
    ['1 1 UDP 1 203.0.113.1 1 typ srflx generation', 'bad-extension'],
  ] as const)('rejects %s with %s', (text, error) => {
    expect(parseCandidate(text)).toEqual({ ok: false, error });
  });

  it('bounds length and extension count', () => {
    expect(parseCandidate(`1 1 UDP 1 203.0.113.1 1 typ host ${'a b '.repeat(300)}`)).toEqual({ ok: false, error: 'too-long' });
    expect(parseCandidate(`1 1 UDP 1 203.0.113.1 1 typ host${' a b'.repeat(17)}`)).toEqual({ ok: false, error: 'too-many-extensions' });
  });

  const arbCandidate: fc.Arbitrary<Candidate> = fc
    .record({
      foundation: fc.stringMatching(/^[A-Za-z0-9+/]{1,32}$/),
      component: fc.integer({ min: 1, max: 256 }),
      transport: fc.constantFrom('udp', 'tcp', 'x-foo'),
      priority: fc.integer({ min: 1, max: 0xffffffff }),
      address: fc.oneof(fc.ipV4(), fc.constantFrom('2001:db8::1', '::1', 'fe80::1:2', 'host-1.local')),
      port: fc.integer({ min: 0, max: 65535 }),
      type: fc.constantFrom<CandidateType>('host', 'srflx', 'prflx', 'relay'),
      related: fc.option(fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 65535 })), { nil: undefined }),
      extensions: fc.array(fc.record({ name: fc.constantFrom('generation', 'network-id', 'ufrag', 'x'), value: fc.stringMatching(/^[\x21-\x7e]{1,12}$/) }), { maxLength: 4 }),
    })
    .map(({ related, extensions, ...c }) => {
      let out: Candidate = c;
      if (related) out = { ...out, relatedAddress: related[0], relatedPort: related[1] };
      if (extensions.length > 0) out = { ...out, extensions };
      return out;
    });

  it('round-trips every well-formed candidate (property)', () => {
    fc.assert(
      fc.property(arbCandidate, (c) => {
        expect(parseCandidate(formatCandidate(c))).toEqual({ ok: true, candidate: c });
      }),
    );
  });

  it('never throws on random text (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), arbCandidate.map((c) => formatCandidate(c).replace(/ \S+/, ' ' + 'x'))), (s) => {
        const r = parseCandidate(s);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});
