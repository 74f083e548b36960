// Property tests (fast-check): hostile input never throws, and what parses is stable.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { formatAttribute, parseAttribute } from './attributes';
import { parseSdp } from './parse';
import { serializeSdp } from './serialize';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const corpus = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.sdp'))
  .map((f) => readFileSync(join(FIXTURES, f), 'utf8'));

/** Parses; when it succeeds, serialize + parse must give the same description back. */
function checkStable(text: string): void {
  const r = parseSdp(text);
  if (!r.ok) {
    expect(typeof r.error.code).toBe('string');
    return;
  }
  const again = parseSdp(serializeSdp(r.value));
  expect(again.ok).toBe(true);
  if (again.ok) expect(again.value).toEqual(r.value);
}

const sdpChars = fc.constantFrom(...'v=o-sctmab:/ 0123456789IN IP4 IP6 RTP/AVP\r\n\t*;|^.#@x\u0000\u00e9');
const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: sdpChars, maxLength: 20 }) }),
  fc.record({ op: fc.constant('dupline' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swaplines' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('digit' as const), at: fc.nat(), digit: fc.integer({ min: 0, max: 9 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, m: Mutation): string {
  if (m.op === 'delete') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + text.slice(at + m.len);
  }
  if (m.op === 'insert') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + m.text + text.slice(at);
  }
  if (m.op === 'digit') {
    const digits = [...text.matchAll(/[0-9]/g)];
    if (digits.length === 0) return text;
    const at = digits[m.at % digits.length].index ?? 0;
    return text.slice(0, at) + String(m.digit) + text.slice(at + 1);
  }
  const lines = text.split('\r\n');
  const i = m.at % lines.length;
  if (m.op === 'dupline') lines.splice(i, 0, lines[i]);
  else {
    const j = m.with % lines.length;
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  return lines.join('\r\n');
}

describe('SDP parser under fast-check', () => {
  it('never throws on random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => checkStable(s)), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: sdpChars, maxLength: 400 }), (s) => checkStable(`v=0\r\n${s}`)), { numRuns: 500 });
  });

  it('never throws on mutated real offers and stays stable on what it accepts', () => {
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 6 }), (base, ms) => {
        checkStable(ms.reduce(mutate, base));
      }),
      { numRuns: 1500 },
    );
  });

  it('parses a good share of single-mutation offers (the mutator does not only produce garbage)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...corpus), mutation, (base, m) => {
        if (parseSdp(mutate(base, m)).ok) accepted++;
      }),
      { numRuns: 300, seed: 42 },
    );
    expect(accepted).toBeGreaterThan(60);
  });

  it('never throws on huge or line-heavy input', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.constantFrom('a=x\r\n', 'm=audio 1 RTP/AVP 0\r\n', 'x'), (n, unit) => {
        checkStable('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' + unit.repeat(n));
      }),
      { numRuns: 50 },
    );
  });
});

describe('attribute lines under fast-check', () => {
  const names = fc.constantFrom('rtpmap', 'fmtp', 'rtcp', 'rtcp-fb', 'rtcp-mux', 'zrtp-hash', 'crypto', 'ssrc', 'mid', 'sendrecv', 'inactive', 'ptime', 'x-foo');
  const valueChars = fc.constantFrom(...'0123456789 abcdefABCDEF/:;|^=+.*-_IN IP4 IP6 inline:AES_CM_128_HMAC_SHA1_80'.split(''));
  const values = fc.oneof(
    fc.string({ unit: valueChars, maxLength: 120 }),
    fc.constantFrom(
      '96 opus/48000/2',
      '1.10 1b5da1894f424da9d6441d1f8d81ad9ad45665226c46f3362b4a5bd415678cf7',
      '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32',
      '96 nack pli',
      '53020 IN IP4 126.16.64.4',
    ),
  );

  it('every accepted a= line formats back byte for byte (typed, other or malformed)', () => {
    fc.assert(
      fc.property(names, fc.option(values, { nil: undefined }), (name, value) => {
        const text = value === undefined ? name : `${name}:${value}`;
        const a = parseAttribute(text);
        expect(typeof a).toBe('object');
        if (typeof a === 'object') expect(formatAttribute(a)).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('random text never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const a = parseAttribute(s);
        if (typeof a === 'object') expect(formatAttribute(a)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('a=zrtp-hash and a=crypto built from random parts round-trip exactly', () => {
    const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 64, maxLength: 64 });
    const b64 = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((u) => Buffer.from(u).toString('base64'));
    const lifetime = fc.option(fc.oneof(fc.nat({ max: 48 }).map((n) => `2^${n}`), fc.nat().map(String)), { nil: undefined });
    const mki = fc.option(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 128 })).map(([v, l]) => `${v}:${l}`), { nil: undefined });
    const keyParam = fc.tuple(b64, lifetime, mki).map(([k, l, m]) => `inline:${k}${l === undefined ? '' : `|${l}`}${m === undefined ? '' : `|${m}`}`);
    const crypto = fc
      .tuple(fc.integer({ min: 0, max: 999_999_999 }), fc.constantFrom('AES_CM_128_HMAC_SHA1_80', 'AES_256_CM_HMAC_SHA1_32', 'AEAD_AES_128_GCM'), fc.array(keyParam, { minLength: 1, maxLength: 3 }), fc.array(fc.constantFrom('UNENCRYPTED_SRTCP', 'KDR=1', 'WSH=64'), { maxLength: 3 }))
      .map(([tag, suite, keys, params]) => `crypto:${tag} ${suite} ${keys.join(';')}${params.length > 0 ? ` ${params.join(' ')}` : ''}`);
    fc.assert(
      fc.property(fc.oneof(hex.map((h) => `zrtp-hash:1.10 ${h}`), crypto), (text) => {
        const a = parseAttribute(text);
        expect(typeof a === 'object' && (a.kind === 'crypto' || a.kind === 'zrtp-hash')).toBe(true);
        if (typeof a === 'object') expect(formatAttribute(a)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});
