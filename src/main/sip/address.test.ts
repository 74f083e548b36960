import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressOfRecord, displayNameOf, parseNameAddr } from './address';
import { SipParseError } from './errors';

describe('address of record and display name of a name-addr (RFC 3261 §20.10, §10.3)', () => {
  it('takes the URI out of a name-addr, without its parameters, headers or the header parameters', () => {
    expect(addressOfRecord('"Alice" <sip:alice@127.0.0.1:5062;transport=tcp?subject=x>;tag=1928301774')).toBe('sip:alice@127.0.0.1:5062');
    expect(addressOfRecord('sip:bob@example.com;tag=abc')).toBe('sip:bob@example.com');
    expect(addressOfRecord('sips:bob@[2001:db8::1]:5061')).toBe('sips:bob@[2001:db8::1]:5061');
  });
  it('spells one address one way: scheme case, escapes and a password do not make another identity', () => {
    expect(addressOfRecord('<SIP:%61lice:secret@example.com>')).toBe('sip:alice@example.com');
  });
  it('has no address for what does not parse, or for a Contact wildcard', () => {
    for (const bad of ['', 'alice', '<sip:alice@example.com', 'http://example.com', '*']) expect(addressOfRecord(bad)).toBeUndefined();
  });
  it('reads quoted and token display names, and none', () => {
    expect(displayNameOf('"Alice \\"A\\" Liddell" <sip:alice@example.com>;tag=1')).toBe('Alice "A" Liddell');
    expect(displayNameOf('Bob <sip:bob@example.com>')).toBe('Bob');
    expect(displayNameOf('sip:bob@example.com;tag=1')).toBe('');
    expect(displayNameOf('"unterminated <sip:bob@example.com>')).toBe('');
  });
  it('takes header parameters that are generic-params and refuses a tag that is no token (§25.1 tag-param)', () => {
    for (const ok of ["<sip:a@127.0.0.1>;tag=-.!%*_+`'~", '<sip:a@127.0.0.1> ; tag = abc ;+sip.instance="<urn:uuid:1>"', 'sip:a@example.com;tag=1;expires=60']) {
      expect(parseNameAddr(ok), ok).not.toBeInstanceOf(SipParseError);
    }
    for (const bad of ['<sip:a@127.0.0.1>;tag=1\\2', '<sip:a@127.0.0.1>;tag="1"x', 'sip:a@127.0.0.1;ta g=1', '<sip:a@127.>;tag=1', '<sip:a@1e9.0.0.1>']) {
      expect(parseNameAddr(bad), bad).toBeInstanceOf(SipParseError);
    }
  });
  it('takes a token display name unquoted and a UTF-8 one only quoted (§25.1 display-name = *(token LWS) / quoted-string)', () => {
    for (const ok of ["Bob O'Neil-2 <sip:b@127.0.0.1>", '"Jöhn Ørsted" <sip:j@127.0.0.1>']) expect(parseNameAddr(ok), ok).not.toBeInstanceOf(SipParseError);
    // Found by the fuzzer: invalid UTF-8 bytes in an unquoted name (decoded to U+FFFD here).
    for (const bad of ['Aq\ufffd\ufffdlice <sip:alice@127.0.0.1>;tag=1', 'Jöhn <sip:j@127.0.0.1>']) expect(parseNameAddr(bad), bad).toBeInstanceOf(SipParseError);
  });
  it('never throws, and an address of record is its own address of record', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(typeof displayNameOf(text)).toBe('string');
        const aor = addressOfRecord(text);
        if (aor !== undefined) expect(addressOfRecord(aor)).toBe(aor);
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom('sip', 'sips'), fc.stringMatching(/^[a-z0-9._-]{1,12}$/), fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), (scheme, user, host, port) => {
        const uri = `${scheme}:${user}@${host}${port === undefined ? '' : `:${port}`}`;
        expect(addressOfRecord(`"x" <${uri};transport=tcp>;tag=t`)).toBe(uri);
      }),
    );
  });
});
