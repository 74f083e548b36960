import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SipParseError } from './errors';
import { formatReferTo, parseReferTo, parseReplaces, serializeReplaces, sipfragStatus } from './replaces';

describe('Replaces (RFC 3891 §6.1)', () => {
  it('parses the §6.1 example', () => {
    // RFC 3891 §6.1: Replaces: 98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff
    expect(parseReplaces('98732@sip.example.com\r\n ;from-tag=r33th4x0r\r\n ;to-tag=ff87ff'.replace(/\r\n /g, ''))).toEqual({
      callId: '98732@sip.example.com',
      toTag: 'ff87ff',
      fromTag: 'r33th4x0r',
      earlyOnly: false,
    });
    expect(parseReplaces('a@b;to-tag=1;from-tag=2;early-only')).toMatchObject({ earlyOnly: true });
  });

  it('refuses a value without both tags or a Call-ID', () => {
    for (const bad of ['', ';to-tag=1;from-tag=2', 'a@b;to-tag=1', 'a@b;from-tag=2', 'a@b;to-tag=1;from-tag="2'])
      expect(parseReplaces(bad)).toBeInstanceOf(SipParseError);
  });

  it('round-trips through a Refer-To (escaped URI header, RFC 3891 §7.1)', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9.!%*_+~-]{1,20}$/);
    fc.assert(
      fc.property(token, token, token, fc.boolean(), (callId, toTag, fromTag, earlyOnly) => {
        const r = { callId: `${callId}@h`, toTag, fromTag, earlyOnly };
        expect(parseReplaces(serializeReplaces(r))).toEqual(r);
        expect(parseReferTo(formatReferTo('sip:carol@127.0.0.1:5070', r))).toEqual({ target: 'sip:carol@127.0.0.1:5070', replaces: r });
      }),
    );
  });

  it('never throws on any Replaces or Refer-To text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseReplaces(s);
        parseReferTo(s);
        sipfragStatus(s);
      }),
    );
  });
});

describe('Refer-To (RFC 3515 §2.1)', () => {
  it('takes the §4.1 example target', () => {
    // RFC 3515 §4.1: Refer-To: sip:c@atlanta.example.com (host kept as text, nothing is sent)
    expect(parseReferTo('sip:c@atlanta.example.com')).toEqual({ target: 'sip:c@atlanta.example.com' });
    expect(parseReferTo('"Carol" <sip:c@127.0.0.1:5070;transport=udp>')).toEqual({ target: 'sip:c@127.0.0.1:5070;transport=udp' });
  });

  it('refuses non-SIP targets and bad Replaces', () => {
    expect(parseReferTo('<tel:+123>')).toBeInstanceOf(SipParseError);
    expect(parseReferTo('<http://x>')).toBeInstanceOf(SipParseError);
    expect(parseReferTo('<sip:c@127.0.0.1?Replaces=abc>')).toBeInstanceOf(SipParseError);
  });
});

describe('message/sipfrag status (RFC 3420, RFC 3515 §2.4.5)', () => {
  it('reads the status line', () => {
    expect(sipfragStatus('SIP/2.0 100 Trying\r\n')).toEqual({ status: 100, reason: 'Trying' });
    expect(sipfragStatus('SIP/2.0 200 OK\r\nContent-Length: 0\r\n')).toEqual({ status: 200, reason: 'OK' });
    expect(sipfragStatus('SIP/2.0 503')).toEqual({ status: 503, reason: '' });
    expect(sipfragStatus('INVITE sip:x SIP/2.0')).toBeUndefined();
  });
});
