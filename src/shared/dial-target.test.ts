import { describe, it, expect } from 'vitest';
import { bracketIPv6, dialTarget } from './dial-target';

describe('dialTarget', () => {
  it('brackets a bare IPv6 address, with or without a user; keeps bracketed ones and their port', () => {
    expect(dialTarget('2001:db8::7')).toBe('sip:[2001:db8::7]');
    expect(dialTarget('bob@2001:db8::7')).toBe('sip:bob@[2001:db8::7]');
    expect(dialTarget('bob@[2001:db8::7]:5062')).toBe('sip:bob@[2001:db8::7]:5062');
    expect(dialTarget('::1', 'vouch')).toBe('sip:vouch@[::1]');
    expect(dialTarget('::ffff:192.0.2.7')).toBe('sip:[::ffff:192.0.2.7]');
  });

  it('leaves names, IPv4 and host:port alone; a scheme is kept as typed', () => {
    expect(dialTarget('192.0.2.7:5062', 'vouch')).toBe('sip:vouch@192.0.2.7:5062');
    expect(dialTarget('bob@example.org')).toBe('sip:bob@example.org');
    expect(dialTarget('sips:bob@example.org')).toBe('sips:bob@example.org');
    expect(bracketIPv6('example.org:5060')).toBe('example.org:5060');
    expect(dialTarget('  ')).toBe('');
  });
});
