import { describe, it, expect } from 'vitest';
import { toSipUri } from './dial-address';

describe('toSipUri', () => {
  it('adds sip: to a typed user@host or host, keeps a scheme, trims', () => {
    expect(toSipUri(' bob@127.0.0.1:5062 ')).toBe('sip:bob@127.0.0.1:5062');
    expect(toSipUri('192.0.2.7')).toBe('sip:192.0.2.7');
    expect(toSipUri('sips:bob@example.org')).toBe('sips:bob@example.org');
    expect(toSipUri('SIP:bob@x')).toBe('SIP:bob@x');
    expect(toSipUri('   ')).toBe('');
    expect(toSipUri('bob@2001:db8::7')).toBe('sip:bob@[2001:db8::7]');
  });
});
