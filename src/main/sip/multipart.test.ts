// RFC 5621 / RFC 2046 §5.1.1 multipart bodies: the example shape of RFC 5621 §3.1 (an SDP part
// beside another), framing errors as typed errors, and properties: whatever parts are framed
// with a valid boundary come back as they were, and no input throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PARTS, MultipartError, parseMediaType, parseMultipart } from './multipart';

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';

describe('parseMultipart', () => {
  it('reads an SDP part and another part, ignoring preamble and epilogue (RFC 5621 §3.1 shape)', () => {
    const body = ['preamble', '--boundary1', 'Content-Type: application/sdp', '', SDP, '--boundary1', 'Content-Type: application/resource-lists+xml', 'Content-Disposition: recipient-list', '', '<resource-lists/>', '--boundary1--', 'epilogue'].join('\r\n');
    const parts = parseMultipart('multipart/mixed;boundary=boundary1', body);
    expect(parts).not.toBeInstanceOf(MultipartError);
    const list = parts as Exclude<typeof parts, MultipartError>;
    expect(list.map((p) => p.type)).toEqual(['application/sdp', 'application/resource-lists+xml']);
    expect(list[0].body).toBe(SDP);
    expect(list[1].headers.get('content-disposition')).toBe('recipient-list');
  });

  it('takes a quoted boundary and a part without headers', () => {
    const parts = parseMultipart('Multipart/Mixed; boundary="a b:c"', '--a b:c\r\n\r\nbare\r\n--a b:c--');
    expect(parts).toEqual([{ headers: new Map(), type: '', body: 'bare' }]);
  });

  it.each([
    ['no boundary parameter', 'multipart/mixed', '--x\r\n\r\nb\r\n--x--'],
    ['not multipart', 'application/sdp;boundary=x', '--x\r\n\r\nb\r\n--x--'],
    ['no boundary line', 'multipart/mixed;boundary=x', 'just text'],
    ['no closing boundary', 'multipart/mixed;boundary=x', '--x\r\nContent-Type: application/sdp\r\n\r\nv=0'],
    ['no parts', 'multipart/mixed;boundary=x', '--x--'],
    ['a header without colon', 'multipart/mixed;boundary=x', '--x\r\nnonsense\r\n\r\nb\r\n--x--'],
    ['text after the boundary', 'multipart/mixed;boundary=x', '--xyz\r\n\r\nb\r\n--x--'],
    ['a boundary of 71 characters', `multipart/mixed;boundary=${'b'.repeat(71)}`, `--${'b'.repeat(71)}\r\n\r\nb\r\n--${'b'.repeat(71)}--`],
  ])('refuses %s with a MultipartError', (_name, type, body) => {
    expect(parseMultipart(type, body)).toBeInstanceOf(MultipartError);
  });

  it(`refuses more than ${MAX_PARTS} parts`, () => {
    const body = `${Array.from({ length: MAX_PARTS + 1 }, () => '--x\r\n\r\np').join('\r\n')}\r\n--x--`;
    expect(parseMultipart('multipart/mixed;boundary=x', body)).toBeInstanceOf(MultipartError);
  });

  const boundary = fc.stringMatching(/^[0-9A-Za-z'()+_,\-./:=?]{1,30}$/);
  const token = fc.stringMatching(/^[a-z][a-z0-9+.-]{0,10}$/);
  const partBody = fc.array(fc.stringMatching(/^[ -~]{0,40}$/), { maxLength: 4 }).map((lines) => lines.join('\r\n'));

  it('property: framed parts come back with their type and body', () => {
    fc.assert(
      fc.property(boundary, fc.array(fc.tuple(token, token, partBody), { minLength: 1, maxLength: 5 }), (b, parts) => {
        // The boundary must not occur in the content (RFC 2046 §5.1.1): pick bodies without it.
        fc.pre(parts.every(([, , body]) => !body.includes(`--${b}`)));
        const text = `${parts.map(([t, s, body]) => `--${b}\r\nContent-Type: ${t}/${s}\r\n\r\n${body}\r\n`).join('')}--${b}--\r\n`;
        const got = parseMultipart(`multipart/mixed; boundary="${b}"`, text);
        expect(got).not.toBeInstanceOf(MultipartError);
        expect((got as Exclude<typeof got, MultipartError>).map((p) => [p.type, p.body])).toEqual(parts.map(([t, s, body]) => [`${t}/${s}`, body]));
      }),
    );
  });

  it('property: never throws on any content type and body', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 400 }), (type, body) => {
        const got = parseMultipart(`multipart/mixed;boundary=x${type}`, `--x\r\n${body}`);
        expect(Array.isArray(got) || got instanceof MultipartError).toBe(true);
        parseMediaType(type);
      }),
    );
  });
});

describe('parseMediaType', () => {
  it('lower-cases type and parameter names, unquotes values', () => {
    expect(parseMediaType('Application/SDP; Charset="utf\\"8"')).toEqual({ type: 'application/sdp', params: new Map([['charset', 'utf"8']]) });
  });
  it.each(['sdp', 'application/', 'a/b; x', 'a/b;=1'])('refuses %j', (text) => {
    expect(parseMediaType(text)).toBeUndefined();
  });
});
