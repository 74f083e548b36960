import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNameAddr, serializeNameAddr } from './address';
import { SipParseError } from './errors';
import { SipHeaders } from './headers';
import { cseqOf, tagOf, topVia } from './message';
import type { SipRequest } from './message';
import { parseMessage } from './parser';
import { serializeMessage } from './serializer';
import { SipStreamFramer } from './stream-framer';
import { parseUri, serializeUri } from './uri';
import { parseVia } from './via';

const crlf = (lines: string[]): string => lines.join('\r\n');

const INVITE = crlf([
  'INVITE sip:bob@127.0.0.1:5062 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK776asdhds;rport',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@127.0.0.1>',
  'From: "Alice \\"A\\" Liddell" <sip:alice@127.0.0.1>;tag=1928301774',
  'Call-ID: a84b4c76e66710@127.0.0.1',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@127.0.0.1:5061>',
  'Content-Type: application/sdp',
  'Content-Length: 5',
  '',
  'v=0\r\n',
]);

// Messages written from the RFC 3261 §25 grammar in the spirit of RFC 4475's torture tests.
const VALID: Record<string, string> = {
  'compact forms, folding, odd case and spacing (RFC 4475 §3.1.1.1 style)': crlf([
    'OPTIONS sip:vouch@[::1]:5070;transport=udp SIP/2.0',
    'v:  SIP/2.0/UDP [::1]:5071;branch=z9hG4bKkdjuw',
    'vIa: SIP/2.0/TCP 192.0.2.2;branch=z9hG4bK2;received=192.0.2.9',
    'f: <sip:a@[::1]>;tag=x',
    't: sip:vouch@[::1]',
    'i: folded-call-id',
    'CSEQ   :   8',
    '  OPTIONS',
    'subject: first',
    '\tsecond line',
    'l: 0',
    '',
    '',
  ]),
  'repeated and comma-joined Via and Route': crlf([
    'BYE sip:b@host.example;lr SIP/2.0',
    'Via: SIP/2.0/UDP a.example;branch=z9hG4bK1, SIP/2.0/UDP b.example:5080;branch=z9hG4bK2',
    'Via: SIP/2.0/UDP c.example;branch=z9hG4bK3',
    'Route: <sip:p1.example;lr>, <sip:p2.example;lr>',
    'From: <sip:a@a.example>;tag=1',
    'To: <sip:b@b.example>;tag=2',
    'Call-ID: x',
    'CSeq: 2 BYE',
    '',
    '',
  ]),
  'response with empty reason, no Content-Length on a datagram': crlf([
    'SIP/2.0 200 ',
    'Via: SIP/2.0/UDP a.example;branch=z9hG4bK1',
    'From: <sip:a@a.example>;tag=1',
    'To: <sip:b@b.example>;tag=2',
    'Call-ID: x',
    'CSeq: 1 OPTIONS',
    '',
    'body',
  ]),
  'escaped user, password, URI headers (§19.1.2)': crlf([
    'MESSAGE sip:%61lice:secret@example.com;maddr=239.255.255.1?subject=project%20x SIP/2.0',
    'Via: SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bKx',
    'From: "J Rosenberg \\\\\\"" <sips:j%40r@example.com>;tag=t',
    'To: sip:alice@example.com',
    'Call-ID: 1',
    'CSeq: 1 MESSAGE',
    'Content-Length: 0',
    '',
    '',
  ]),
  'leading CRLFs before the start line (§7.5)': '\r\n\r\n' + INVITE,
};

const INVALID: Record<string, [string, SipParseError['code'], boolean]> = {
  'garbage start line': ['HELLO\r\n\r\n', 'bad-start-line', false],
  'SIP/7.0 request (RFC 4475 §3.1.2.15 badvers)': [INVITE.replace('SIP/2.0\r\n', 'SIP/7.0\r\n'), 'bad-version', true],
  'CSeq method mismatch (RFC 4475 §3.1.2.14 cseqmismatch style)': [INVITE.replace('CSeq: 314159 INVITE', 'CSeq: 314159 ACK'), 'bad-cseq', true],
  'CSeq out of range (§8.1.1.5)': [INVITE.replace('314159', '4294967296'), 'bad-cseq', true],
  'negative Content-Length (RFC 4475 §3.1.2.6 ncl)': [INVITE.replace('Content-Length: 5', 'Content-Length: -999'), 'bad-content-length', true],
  'Content-Length longer than body (RFC 4475 §3.1.2.5 clerr)': [INVITE.replace('Content-Length: 5', 'Content-Length: 9999'), 'truncated-body', true],
  'missing Call-ID': [INVITE.replace('Call-ID: a84b4c76e66710@127.0.0.1\r\n', ''), 'missing-header', true],
  'unterminated display name quote': [INVITE.replace('"Alice \\"A\\" Liddell"', '"Alice'), 'bad-header', true],
  'bad Request-URI host': [INVITE.replace('sip:bob@127.0.0.1:5062', 'sip:bob@exa mple'), 'bad-start-line', true],
  'bad port in Request-URI': [INVITE.replace('sip:bob@127.0.0.1:5062', 'sip:bob@127.0.0.1:99999'), 'bad-uri', true],
  'header line without colon': [INVITE.replace('Max-Forwards: 70', 'Max-Forwards 70'), 'bad-header', true],
  'Via without protocol': [INVITE.replace('SIP/2.0/UDP 127.0.0.1:5061', 'UDP 127.0.0.1:5061'), 'bad-via', false],
  // Issue 20 fuzzer finds (test/fuzz/crashes/sip-ua/): §25.1 host and generic-param violations.
  // A broken top Via leaves nowhere to answer (dropped); a broken second Via, URI or tag gets 400.
  'top Via parameter that is no token (;x:=1)': [INVITE.replace(';branch=z9hG4bK776asdhds;rport', ';x:=1;branch=z9hG4bK776asdhds'), 'bad-via', false],
  'second Via parameter value with a space': [INVITE.replace('Max-Forwards: 70', 'Via: SIP/2.0/TCP 127.0.0.1:5061;branch=z9hG4bi: Khjhs8ass877 ;received=127.0.0.1\r\nMax-Forwards: 70'), 'bad-via', true],
  'second Via parameter opening a quote ("ranch)': [INVITE.replace('Max-Forwards: 70', 'Via: SIP/2.0/TCP 127.0.0.1:5061;"ranch=z9"hG4bi\r\nMax-Forwards: 70'), 'bad-via', true],
  'top Via sent-by 1e9.0.0.1': [INVITE.replace('UDP 127.0.0.1:5061', 'UDP 1e9.0.0.1:5061'), 'bad-via', false],
  'second Via sent-by 127.0.4294967296.1': [INVITE.replace('Max-Forwards: 70', 'Via: SIP/2.0/UDP 127.0.4294967296.1;branch=z9hG4bK2\r\nMax-Forwards: 70'), 'bad-via', true],
  'second Via sent-by 12': [INVITE.replace('Max-Forwards: 70', 'Via: SIP/2.0/UDP 12:5060;branch=z9hG4bK2\r\nMax-Forwards: 70'), 'bad-via', true],
  'Request-URI host 127.': [INVITE.replace('sip:bob@127.0.0.1:5062', 'sip:carol@127.;rport0.0.1'), 'bad-uri', true],
  'From tag with a backslash (tag=1\\2)': [INVITE.replace(';tag=1928301774', ';tag=1\\2'), 'bad-header', true],
  'To tag with a backslash': [INVITE.replace('To: Bob <sip:bob@127.0.0.1>', 'To: Bob <sip:bob@127.0.0.1>;tag=a\\b'), 'bad-header', true],
  'unquoted From display name with invalid UTF-8 bytes': [Buffer.from(INVITE.replace('"Alice \\"A\\" Liddell"', 'Aq\x9b\xc7\xfblice'), 'latin1').toString('utf8'), 'bad-header', true],
  'unknown Request-URI scheme (answered 416, §8.2.2.1)': [INVITE.replace('sip:bob@127.0.0.1:5062', 'nobarr.url:bob@x'), 'unsupported-scheme', true],
};

describe('SIP parser corpus', () => {
  for (const [name, text] of Object.entries(VALID)) {
    it(`accepts: ${name}`, () => {
      const r = parseMessage(text);
      expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
      if (!r.ok) return;
      const again = parseMessage(serializeMessage(r.message));
      expect(again.ok).toBe(true);
      if (again.ok) expect(serializeMessage(again.message).toString()).toBe(serializeMessage(r.message).toString());
    });
  }
  for (const [name, [text, code, answerable]] of Object.entries(INVALID)) {
    it(`rejects: ${name} (${code})`, () => {
      const r = parseMessage(text);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error).toBeInstanceOf(SipParseError);
      expect(r.error.code).toBe(code);
      expect(r.partial !== undefined).toBe(answerable);
    });
  }

  it('reads the fields of an INVITE', () => {
    const r = parseMessage(INVITE);
    if (!r.ok) throw r.error;
    const m = r.message as SipRequest;
    expect(m.method).toBe('INVITE');
    expect(m.body).toBe('v=0\r\n');
    expect(cseqOf(m)).toEqual({ seq: 314159, method: 'INVITE' });
    expect(tagOf(m, 'from')).toBe('1928301774');
    expect(tagOf(m, 'to')).toBeUndefined();
    const via = topVia(m)!;
    expect(via.params.get('branch')).toBe('z9hG4bK776asdhds');
    expect(via.params.get('rport')).toBeNull();
    expect(parseNameAddr(m.headers.get('from')!)).toMatchObject({ displayName: 'Alice "A" Liddell' });
  });

  it('expands compact forms and splits list headers', () => {
    const r = parseMessage(VALID['compact forms, folding, odd case and spacing (RFC 4475 §3.1.1.1 style)']);
    if (!r.ok) throw r.error;
    expect(r.message.headers.get('Call-ID')).toBe('folded-call-id');
    expect(r.message.headers.get('subject')).toBe('first second line');
    expect(r.message.headers.getAll('via')).toHaveLength(2);
    expect(cseqOf(r.message)).toEqual({ seq: 8, method: 'OPTIONS' });
    const r2 = parseMessage(VALID['repeated and comma-joined Via and Route']);
    if (!r2.ok) throw r2.error;
    expect(r2.message.headers.getAll('via').map((v) => (parseVia(v) as { host: string }).host)).toEqual(['a.example', 'b.example', 'c.example']);
    expect(r2.message.headers.getAll('route')).toEqual(['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
  });

  it('rejects oversized messages and too many headers', () => {
    expect(parseMessage(INVITE + 'x'.repeat(70000))).toMatchObject({ ok: false, error: { code: 'too-large' } });
    const many = INVITE.replace('Max-Forwards: 70', Array.from({ length: 300 }, (_, i) => `X-H${i}: 1`).join('\r\n'));
    expect(parseMessage(many)).toMatchObject({ ok: false, error: { code: 'too-many-headers' } });
  });
});

describe('SIP URIs and addresses', () => {
  it('parses IPv6 references, params and headers', () => {
    const u = parseUri('sips:alice:pw@[2001:db8::10]:5061;transport=tls;lr?subject=hi%20there');
    if (u instanceof SipParseError) throw u;
    expect(u).toMatchObject({ scheme: 'sips', user: 'alice', password: 'pw', host: '[2001:db8::10]', port: 5061 });
    expect(u.params.get('lr')).toBeNull();
    expect(u.headers.get('subject')).toBe('hi there');
    expect(serializeUri(u)).toBe('sips:alice:pw@[2001:db8::10]:5061;transport=tls;lr?subject=hi%20there');
  });
  it('keeps header params apart from URI params in addr-spec form (§20.10)', () => {
    const a = parseNameAddr('sip:bob@example.com;tag=abc');
    if (a instanceof SipParseError) throw a;
    expect(a.params.get('tag')).toBe('abc');
    expect(a.uri.params.size).toBe(0);
    expect(serializeNameAddr(a)).toBe('<sip:bob@example.com>;tag=abc');
  });
  it('rejects bad URIs', () => {
    for (const bad of ['bob@example.com', 'sip:', 'sip:a@[::1', 'sip:a@host:port', 'http://x', 'sip:a@%zz']) {
      expect(parseUri(bad)).toBeInstanceOf(SipParseError);
    }
  });
});

describe('SIP stream framing (§18.3)', () => {
  it('frames messages split at every byte and skips CRLF keep-alives', () => {
    const whole = Buffer.concat([Buffer.from('\r\n\r\n'), Buffer.from(INVITE), Buffer.from(INVITE)]);
    const framer = new SipStreamFramer();
    const out = [];
    for (let i = 0; i < whole.length; i++) out.push(...framer.push(whole.subarray(i, i + 1)));
    expect(out.map((o) => o.ok)).toEqual(['ping', true, true]);
  });
  it('reports an unframeable stream as fatal', () => {
    const framer = new SipStreamFramer();
    expect(framer.push(Buffer.from(INVITE.replace('Content-Length: 5', 'Content-Length: x')))[0]).toMatchObject({ ok: 'fatal' });
  });
});

describe('SIP parser properties', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const r = parseMessage(bytes);
        expect(typeof r.ok).toBe('boolean');
        const framer = new SipStreamFramer();
        framer.push(Buffer.from(bytes));
      }),
      { numRuns: 500 },
    );
  });
  it('never throws on mutated valid messages, and what parses round-trips stably', () => {
    const seeds = [INVITE, ...Object.values(VALID)];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('\r', '\n', ':', ';', '"', '<', '>', ',', ' ', '\\', '[', ']', '@', 'é', '\0', 'x')), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        (seed, inserts, deletes) => {
          let s = seed;
          for (const [pos, ch] of inserts) {
            const p = pos % (s.length + 1);
            s = s.slice(0, p) + ch + s.slice(p);
          }
          for (const pos of deletes) {
            const p = pos % Math.max(1, s.length);
            s = s.slice(0, p) + s.slice(p + 1);
          }
          const r = parseMessage(s);
          if (!r.ok) return;
          const once = serializeMessage(r.message);
          const r2 = parseMessage(once);
          expect(r2.ok).toBe(true);
          if (r2.ok) expect(serializeMessage(r2.message).equals(once)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
  it('round-trips generated headers', () => {
    const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(token, fc.stringMatching(/^[ -~]{0,40}$/)), { maxLength: 10 }), (extra) => {
        const headers = SipHeaders.from([
          ['Via', 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1'],
          ['From', '<sip:a@b>;tag=1'],
          ['To', '<sip:a@b>'],
          ['Call-ID', 'c'],
          ['CSeq', '1 OPTIONS'],
          ...extra.filter(([n]) => !['l', 'content-length', 'v', 'via', 'f', 'from', 't', 'to', 'i', 'call-id', 'cseq'].includes(n)).map(([n, v]) => [`x-${n}`, v.trim()] as const),
        ]);
        const bytes = serializeMessage({ type: 'request', method: 'OPTIONS', uri: 'sip:a@b', headers, body: '' });
        const r = parseMessage(bytes);
        expect(r.ok).toBe(true);
        if (r.ok) expect(serializeMessage(r.message).equals(bytes)).toBe(true);
      }),
    );
  });
});
