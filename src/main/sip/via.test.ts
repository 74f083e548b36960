// Via sent-by hosts and via-params (RFC 3261 §20.42, §25.1), and the host rule they share with
// SIP URIs (§25.1 host = hostname / IPv4address / IPv6reference): what the fuzzer (issue 20,
// test/fuzz/crashes/sip-ua/) found the parser taking although the grammar does not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SipParseError } from './errors';
import { isGenericParamList } from './params';
import { isHost, parseUri } from './uri';
import { parseVia } from './via';

const TOKEN_CHARS = "abcXYZ019-.!%*_+`'~";
const token = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 12 });

describe('hosts (§25.1 host)', () => {
  it('takes hostnames, fully qualified ones with the trailing dot, IPv4 addresses and IPv6 references', () => {
    for (const host of ['example.com', 'pc33.atlanta.example.', 'a', 'x-1', '3com.example', '127.0.0.1', '255.255.255.255', '0.0.0.0', '[::1]', '[2001:db8::1]', '[::ffff:127.0.0.1]']) {
      expect(isHost(host), host).toBe(true);
    }
  });
  it('refuses a toplabel that does not start with a letter, a cut-off or oversized IPv4 address', () => {
    // Found by the fuzzer: each one is neither a hostname nor an IPv4 address nor an IPv6 reference.
    for (const host of ['1e9.0.0.1', '127.', '127.0.4294967296.1', '127.0.99999999999999999999.1', '12', '127.01', '127.0.0.256', '127.0.0.1.', '-a.com', 'a-.com', 'a..com', '[1]', '']) {
      expect(isHost(host), host).toBe(false);
    }
  });
  it('property: a dotted quad is a host exactly when each byte is at most 255', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 4, maxLength: 4 }), (bytes) => {
        expect(isHost(bytes.join('.'))).toBe(bytes.every((b) => b <= 255));
      }),
    );
  });
  it('property: fc.domain() names are hosts; a URI with a bad host is a typed error, never a throw', () => {
    fc.assert(fc.property(fc.domain(), (d) => isHost(d)));
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const uri = parseUri(`sip:carol@${s}`);
        if (!(uri instanceof SipParseError)) expect(isHost(uri.host)).toBe(true);
      }),
    );
  });
  it('refuses the fuzzer-found URI host "127."', () => {
    expect(parseUri('sip:carol@127.;rport0.0.1')).toBeInstanceOf(SipParseError);
  });
});

describe('generic-params (§25.1 generic-param = token [ EQUAL gen-value ])', () => {
  it('takes token names with token, host and quoted-string values, LWS around ";" and "="', () => {
    for (const s of ['', ";branch=z9hG4bK776asdhds;rport", ";received=127.0.0.1", ";received=2001:db8::1", ";maddr=[::1]", ';x="a, \\"b\\"; c"', ";-.!%*_+`'~=-.!%*_+`'~", ' ; ttl = 16 ; lr']) {
      expect(isGenericParamList(s), s).toBe(true);
    }
  });
  it('refuses names and values that are no tokens, hosts or quoted-strings', () => {
    for (const s of [';x:=1', ';"ranch=z9', ';branch=z9hG4bi: Khjhs8ass877', ';tag=1\\2', ';expires=', ';=1', ';a=b c', ';x="open', ';x="q"junk', ';a;;b=(1)']) {
      expect(isGenericParamList(s), s).toBe(false);
    }
  });
  it('property: any list of token=token, token or token="quoted" params is taken', () => {
    const quoted = fc.string({ maxLength: 10 }).map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`);
    const param = fc.tuple(token, fc.option(fc.oneof(token, quoted), { nil: undefined })).map(([n, v]) => `;${n}${v === undefined ? '' : `=${v}`}`);
    fc.assert(fc.property(fc.array(param, { maxLength: 5 }), (ps) => isGenericParamList(ps.join(''))));
  });
});

describe('Via (§20.42)', () => {
  it('parses valid sent-bys and parameters', () => {
    const via = parseVia('SIP/2.0/UDP pc33.atlanta.example.:5060 ;branch=z9hG4bKnashds8 ;received=[::1];x="quoted, value"');
    expect(via).not.toBeInstanceOf(SipParseError);
    if (!(via instanceof SipParseError)) {
      expect(via.host).toBe('pc33.atlanta.example.');
      expect(via.params.get('x')).toBe('quoted, value');
    }
    expect(parseVia('SIP/2.0/TCP [::1]:5061;branch=z9hG4bK1')).not.toBeInstanceOf(SipParseError);
  });
  it('refuses the fuzzer-found Vias: non-token parameters and sent-bys that are no host', () => {
    for (const v of [
      'SIP/2.0/TCP 127.0.0.1:5061;branch=z9hG4bi: Khjhs8ass877 ;received=127.0.0.1',
      'SIP/2.0/TCP 127.0.0.1:5061;"ranch=z9"hG4bi: Khjhs8ass877 ;received=127.0.0.1',
      'SIP/2.0/UDP 127.0.0.1:5060;x:=1;branch=z9hG4bK1',
      'SIP/2.0/TCP 127.01;branch=z9hG4bKhjhs8ass877',
      'SIP/2.0/TCP 127.0.99999999999999999999.1:5061;branch=z9hG4bKhjhs8ass877',
      'SIP/2.0/UDP 1e9.0.0.1:5060;branch=z9hG4bKnashds8;rport',
      'SIP/2.0/UDP 127.:5060;branch=z9hG4bK1',
      'SIP/2.0/UDP 127.0.4294967296.1;branch=z9hG4bK1',
      'SIP/2.0/UDP 12:5060;branch=z9hG4bK1',
    ]) {
      const via = parseVia(v);
      expect(via, v).toBeInstanceOf(SipParseError);
      expect((via as SipParseError).code, v).toBe('bad-via');
    }
  });
});
