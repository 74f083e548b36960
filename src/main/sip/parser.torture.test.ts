// Issue 20 part A at the parser: the RFC 4475 message classes written from RFC 3261's grammar
// (§7.3.1 single-valued headers, §25.1 leading zeros and quoted-pairs, absoluteURI in From/To,
// folding, compact forms, case-insensitive tokens) and the partial request a refusal answers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tagOf } from './message';
import { parseMessage } from './parser';
import { serializeMessage } from './serializer';

const crlf = (lines: string[]): string => lines.join('\r\n');

const BASE = [
  'OPTIONS sip:bob@127.0.0.1:5062 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKtort1;rport',
  'Max-Forwards: 70',
  'From: <sip:alice@127.0.0.1>;tag=ft1',
  'To: <sip:bob@127.0.0.1>',
  'Call-ID: torture-1@127.0.0.1',
  'CSeq: 7 OPTIONS',
  'Content-Type: application/sdp',
  'Content-Length: 0',
];
const msg = (lines: string[], body = ''): string => crlf([...lines, '', body]);
const withHeader = (name: string, value: string): string => msg([...BASE.slice(0, 2), `${name}: ${value}`, ...BASE.slice(2)]);

/** The single-valued headers of §7.3.1/§20 and a second, different value for each. */
const SINGLE: [string, string][] = [
  ['Call-ID', 'other@127.0.0.1'],
  ['CSeq', '8 OPTIONS'],
  ['From', '<sip:eve@127.0.0.1>;tag=ft2'],
  ['To', '<sip:carol@127.0.0.1>'],
  ['Max-Forwards', '69'],
  ['Content-Length', '0'],
  ['Content-Type', 'text/plain'],
];

describe('single-valued headers repeated (RFC 3261 §7.3.1, §20)', () => {
  for (const [name, value] of SINGLE) {
    it(`refuses a second ${name}, naming it, with an answerable partial`, () => {
      const r = parseMessage(withHeader(name, value));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('duplicate-header');
      expect(r.error.message).toContain(name);
      expect(r.partial?.method).toBe('OPTIONS');
    });
  }

  it('refuses a compact form repeating its long form (i and Call-ID)', () => {
    const r = parseMessage(withHeader('i', 'other@127.0.0.1'));
    expect(!r.ok && r.error.code === 'duplicate-header' && r.error.message.includes('Call-ID')).toBe(true);
  });

  it('property: any single-valued header appearing twice anywhere is refused and answerable', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SINGLE), fc.integer({ min: 1, max: BASE.length }), fc.boolean(), ([name, value], at, lower) => {
        const lines = [...BASE];
        lines.splice(at, 0, `${lower ? name.toLowerCase() : name}: ${value}`);
        const r = parseMessage(msg(lines));
        return !r.ok && r.error.code === 'duplicate-header' && r.partial !== undefined;
      }),
    );
  });

  it('Content-Length larger than the datagram body is refused (§18.3)', () => {
    const r = parseMessage(msg(BASE.map((l) => (l.startsWith('Content-Length') ? 'Content-Length: 50' : l)), 'v=0\r\n'));
    expect(!r.ok && r.error.code === 'truncated-body' && r.partial !== undefined).toBe(true);
  });
});

describe('valid but unusual syntax (RFC 4475 §3.1.1 classes)', () => {
  it('accepts leading zeros in Max-Forwards, CSeq and Content-Length', () => {
    const text = msg(BASE.map((l) => l.replace('Max-Forwards: 70', 'Max-Forwards: 0068').replace('CSeq: 7', 'CSeq: 0000000000000000007').replace('Content-Length: 0', 'Content-Length: 0000000005')), 'v=0\r\n');
    const r = parseMessage(text);
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    if (r.ok) expect(r.message.body).toBe('v=0\r\n');
  });

  it('still refuses Max-Forwards above 255 and junk digits', () => {
    for (const v of ['256', '0x10', '-1', '1 0']) {
      const r = parseMessage(msg(BASE.map((l) => (l.startsWith('Max-Forwards') ? `Max-Forwards: ${v}` : l))));
      expect(r.ok, v).toBe(false);
    }
  });

  it('accepts quoted-pairs escaping quotes, backslashes and control characters (§25.1 quoted-pair)', () => {
    const from = 'From: "\\"Ali\\\\ce\\" \\\x01\\\t" <sip:alice@127.0.0.1>;tag=ft1';
    const r = parseMessage(msg(BASE.map((l) => (l.startsWith('From') ? from : l))));
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    if (r.ok) expect(tagOf(r.message, 'from')).toBe('ft1');
  });

  it('still refuses a bare control character outside a quoted-pair', () => {
    const r = parseMessage(msg(BASE.map((l) => (l.startsWith('From') ? 'From: "Ali\x01ce" <sip:alice@127.0.0.1>;tag=ft1' : l))));
    expect(r.ok).toBe(false);
  });

  for (const uri of ['tel:+1-201-555-0123', 'http://www.example.com/alice', 'urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6', 'mailto:alice@example.com']) {
    it(`accepts ${uri.split(':')[0]}: URIs in From and To and keeps the tags`, () => {
      const lines = BASE.map((l) => (l.startsWith('From') ? `From: "A" <${uri}>;tag=ft1` : l.startsWith('To') ? `To: <${uri}>` : l));
      const r = parseMessage(msg(lines));
      expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
      if (!r.ok) return;
      expect(tagOf(r.message, 'from')).toBe('ft1');
      expect(serializeMessage(r.message).toString()).toContain(uri);
    });
  }

  it('accepts line folding, compact forms and case-insensitive tokens together', () => {
    const text = msg([
      'OPTIONS SIP:bob@127.0.0.1:5062 sip/2.0',
      'v: SIP/2.0/udp 127.0.0.1:5061',
      '\t;BRANCH=z9hG4bKfold;rport',
      'mAX-fORWARDS: 70',
      'f: <sip:alice@127.0.0.1>',
      '  ;TAG=ft1',
      't: <sip:bob@127.0.0.1>',
      'i: fold@127.0.0.1',
      'cseq:   7',
      '    OPTIONS',
      'k: timer',
      's: folded',
      ' subject',
      'c: application/sdp',
      'l: 0',
    ]);
    const r = parseMessage(text);
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    if (!r.ok) return;
    expect(tagOf(r.message, 'from')).toBe('ft1');
    expect(r.message.headers.get('subject')).toBe('folded subject');
  });

  it('accepts an unknown method made of token characters (answered 501 by the UA)', () => {
    const r = parseMessage(msg(BASE.map((l) => l.replace('OPTIONS sip', 'NEWMETHOD.x!% sip').replace('7 OPTIONS', '7 NEWMETHOD.x!%'))));
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
  });
});

describe('broken required headers with a usable Via: answerable, the reason says what (§8.2, §21.4.1)', () => {
  const cases: [string, string[], RegExp][] = [
    ['bad CSeq', BASE.map((l) => (l.startsWith('CSeq') ? 'CSeq: seven OPTIONS' : l)), /CSeq/],
    ['missing Call-ID', BASE.filter((l) => !l.startsWith('Call-ID')), /Call-ID/],
    ['empty Call-ID', BASE.map((l) => (l.startsWith('Call-ID') ? 'Call-ID: ' : l)), /Call-ID/],
    ['missing From', BASE.filter((l) => !l.startsWith('From')), /From/],
    ['missing To', BASE.filter((l) => !l.startsWith('To')), /To/],
    ['unparsable From', BASE.map((l) => (l.startsWith('From') ? 'From: <sip:alice@127.0.0.1;tag=ft1' : l)), /From/],
    ['SIP/3.0', [BASE[0].replace('SIP/2.0', 'SIP/3.0'), ...BASE.slice(1)], /version/],
  ];
  for (const [name, lines, says] of cases) {
    it(name, () => {
      const r = parseMessage(msg(lines));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.partial).toBeDefined();
      expect(r.error.message).toMatch(says);
    });
  }

  it('property: dropping or emptying any one required header but Via still leaves an answerable request', () => {
    const required = ['From', 'To', 'Call-ID', 'CSeq', 'f', 't', 'i'];
    fc.assert(
      fc.property(fc.constantFrom(...required), fc.option(fc.stringMatching(/^[ \t]{0,3}$/), { nil: undefined }), fc.boolean(), (name, blank, compact) => {
        const long = { f: 'From', t: 'To', i: 'Call-ID' }[name] ?? name;
        const lines = BASE.flatMap((l) => (l.startsWith(`${long}:`) ? (blank === undefined ? [] : [`${compact ? name : long}:${blank}`]) : [l]));
        const r = parseMessage(msg(lines));
        return !r.ok && r.partial !== undefined && r.error.message.includes(long);
      }),
    );
  });
});

describe('malformed request lines with a usable Via stay answerable (RFC 4475 §3.1.2 classes)', () => {
  const lines: [string, string][] = [
    ['extra spaces between elements', 'OPTIONS  sip:bob@127.0.0.1:5062   SIP/2.0'],
    ['LWS inside the Request-URI', 'OPTIONS sip:bob@127.0.0.1:5062; lr SIP/2.0'],
    ['space in the host', 'OPTIONS sip:bob@127.0 .0.1 SIP/2.0'],
  ];
  for (const [name, line] of lines) {
    it(name, () => {
      const r = parseMessage(msg([line, ...BASE.slice(1)]));
      expect(!r.ok && r.error.code === 'bad-start-line' && r.partial?.method === 'OPTIONS').toBe(true);
    });
  }

  it('garbage without a SIP version or method token is not answered', () => {
    for (const line of ['HELLO', 'OPT<IONS sip:bob@127.0.0.1 SIP/2.0', 'OPTIONS sip:bob@127.0.0.1 HTTP/1.1 x']) {
      const r = parseMessage(msg([line, ...BASE.slice(1)]));
      expect(!r.ok && r.partial === undefined, line).toBe(true);
    }
  });

  it('property: a token method, a URI broken by spaces and a SIP version is answerable', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z]{1,10}$/), fc.array(fc.stringMatching(/^[a-z0-9:@.;=]{1,8}$/), { minLength: 2, maxLength: 4 }), fc.integer({ min: 1, max: 3 }), (method, pieces, spaces) => {
        const r = parseMessage(msg([`${method}${' '.repeat(spaces)}${pieces.join(' ')} SIP/2.0`, ...BASE.slice(1)]));
        return !r.ok && r.partial?.method === method;
      }),
    );
  });
});

describe('grammar of Call-ID, Expires, Contact and Route in requests (§25.1, §20)', () => {
  const refused: [string, string[]][] = [
    ['Call-ID with a space', BASE.map((l) => (l.startsWith('Call-ID') ? 'Call-ID: two words' : l))],
    ['Call-ID with two @', BASE.map((l) => (l.startsWith('Call-ID') ? 'Call-ID: a@b@c' : l))],
    ['Expires not a number', [...BASE, 'Expires: soon']],
    ['unparsable Contact', [...BASE, 'Contact: <sip:alice@127.0.0.1']],
    ['Contact * outside REGISTER', [...BASE, 'Contact: *']],
    ['unparsable Route', [...BASE, 'Route: <sip:127.0.0.1;lr>, <sip:']],
    ['unparsable Record-Route', [...BASE, 'Record-Route: "proxy <sip:127.0.0.1;lr>']],
  ];
  for (const [name, lines] of refused) {
    it(`refuses ${name}, answerably`, () => {
      const r = parseMessage(msg(lines));
      expect(!r.ok && r.partial !== undefined, r.ok ? 'accepted' : r.error.message).toBe(true);
    });
  }

  it('accepts every word character in a Call-ID, and Contact lists', () => {
    const r = parseMessage(msg([...BASE.map((l) => (l.startsWith('Call-ID') ? 'Call-ID: -.!%*_+`\'~()<>:\\"/[]?{}@[::1]' : l)), 'Contact: <sip:a@127.0.0.1>;q=0.5, "B" <sip:b@127.0.0.1>', 'Expires: 0300']));
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
  });

  it('property: a Call-ID of word characters parses, any with a space, tab or comma is refused', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]{1,20}$/);
    fc.assert(
      fc.property(word, fc.option(word, { nil: undefined }), fc.constantFrom('', ' x', '\tx', ',x'), (a, b, junk) => {
        const id = `${a}${b === undefined ? '' : `@${b}`}${junk}`;
        const r = parseMessage(msg(BASE.map((l) => (l.startsWith('Call-ID') ? `Call-ID: ${id}` : l))));
        return junk === '' ? r.ok : !r.ok;
      }),
    );
  });
});

describe('more RFC 4475 §3.1.2 invalid classes, written from the grammar', () => {
  it('<> around the Request-URI is a malformed URI (400), not an unknown scheme (416)', () => {
    const r = parseMessage(msg([BASE[0].replace('sip:bob@127.0.0.1:5062', '<sip:bob@127.0.0.1:5062>'), ...BASE.slice(1)]));
    expect(!r.ok && r.error.code === 'bad-uri' && r.partial !== undefined).toBe(true);
  });

  it('an unquoted display name with a comma or non-ASCII is refused; tokens separated by spaces are fine', () => {
    const bad = parseMessage(msg(BASE.map((l) => (l.startsWith('To') ? 'To: Bell, Alexander <sip:bob@127.0.0.1>' : l))));
    expect(!bad.ok && bad.partial !== undefined).toBe(true);
    const good = parseMessage(msg(BASE.map((l) => (l.startsWith('To') ? 'To: Bell  Alexander.G <sip:bob@127.0.0.1>' : l))));
    expect(good.ok).toBe(true);
    // §25.1 token is ASCII: a UTF-8 name goes quoted (TEXT-UTF8); unquoted it is refused answerably.
    const quoted = parseMessage(msg(BASE.map((l) => (l.startsWith('To') ? 'To: "Bell Alexander Bóg" <sip:bob@127.0.0.1>' : l))));
    expect(quoted.ok).toBe(true);
    const utf8 = parseMessage(msg(BASE.map((l) => (l.startsWith('To') ? 'To: Bell Bóg <sip:bob@127.0.0.1>' : l))));
    expect(!utf8.ok && utf8.partial !== undefined).toBe(true);
  });

  it('trailing whitespace after the SIP version is refused answerably', () => {
    const r = parseMessage(msg([`${BASE[0]} `, ...BASE.slice(1)]));
    expect(!r.ok && r.error.code === 'bad-start-line' && r.partial !== undefined).toBe(true);
  });
});
