// RFC 5769 "Test Vectors for STUN", §2.1–§2.4, bytes verbatim from the RFC. Each is decoded, its
// MESSAGE-INTEGRITY and FINGERPRINT checked with the RFC's credentials, and re-encoded.
import { describe, expect, it } from 'vitest';
import {
  AttributeType,
  StunMethod,
  checkFingerprint,
  checkMessageIntegrity,
  decodeText,
  decodePriority,
  decodeTieBreaker,
  decodeXorMappedAddress,
  encodeXorMappedAddress,
  getAttribute,
  longTermKey,
  parseMessage,
  serializeSigned,
  shortTermKey,
} from './index';
import type { StunMessage } from './index';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);

// §2.1 Sample Request (short-term credential; USERNAME padded with three spaces in the RFC).
const SAMPLE_REQUEST = hex(`
  00 01 00 58  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
  80 22 00 10  53 54 55 4e  20 74 65 73  74 20 63 6c  69 65 6e 74
  00 24 00 04  6e 00 01 ff
  80 29 00 08  93 2f f9 b1  51 26 3b 36
  00 06 00 09  65 76 74 6a  3a 68 36 76  59 20 20 20
  00 08 00 14  9a ea a7 0c  bf d8 cb 56  78 1e f2 b5  b2 d3 f2 49  c1 b5 71 a2
  80 28 00 04  e5 7a 3b cf`);

// §2.2 Sample IPv4 Response (SOFTWARE "test vector" padded with one space).
const SAMPLE_IPV4_RESPONSE = hex(`
  01 01 00 3c  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
  80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20
  00 20 00 08  00 01 a1 47  e1 12 a6 43
  00 08 00 14  2b 91 f5 99  fd 9e 90 c3  8c 74 89 f9  2a f9 ba 53  f0 6b e7 d7
  80 28 00 04  c0 7d 4c 96`);

// §2.3 Sample IPv6 Response.
const SAMPLE_IPV6_RESPONSE = hex(`
  01 01 00 48  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
  80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20
  00 20 00 14  00 02 a1 47  01 13 a9 fa  a5 d3 f1 79  bc 25 f4 b5  be d2 b9 d9
  00 08 00 14  a3 82 95 4e  4b e6 7b f1  17 84 c9 7c  82 92 c2 75  bf e3 ed 41
  80 28 00 04  c8 fb 0b 4c`);

// §2.4 Sample Request with Long-Term Authentication (no FINGERPRINT).
const SAMPLE_LONG_TERM_REQUEST = hex(`
  00 01 00 60  21 12 a4 42  78 ad 34 33  c6 ad 72 c0  29 da 41 2e
  00 06 00 12  e3 83 9e e3  83 88 e3 83  aa e3 83 83  e3 82 af e3  82 b9 00 00
  00 15 00 1c  66 2f 2f 34  39 39 6b 39  35 34 64 36  4f 4c 33 34  6f 4c 39 46  53 54 76 79  36 34 73 41
  00 14 00 0b  65 78 61 6d  70 6c 65 2e  6f 72 67 00
  00 08 00 14  f6 70 24 65  6d d6 4a 3e  02 b8 e0 71  2e 85 c9 a2  8c a8 96 66`);

const SHORT_TERM_PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';
// §2.4: username "マトリックス", password "The<U+00AD>M<U+00AA>tr<U+2168>" which SASLprep turns into "TheMatrIX".
const LONG_TERM_USERNAME = '\u30de\u30c8\u30ea\u30c3\u30af\u30b9';
const LONG_TERM_PASSWORD_SASLPREPPED = 'TheMatrIX';
const LONG_TERM_NONCE = 'f//499k954d6OL34oL9FSTvy64sA';
const LONG_TERM_REALM = 'example.org';

function parsed(data: Uint8Array): StunMessage {
  const r = parseMessage(data);
  if (!r.ok) throw new Error(`vector did not parse: ${r.error}`);
  return r.message;
}

/** Everything before MESSAGE-INTEGRITY, to re-sign with our own code. */
function unsignedAttributes(m: StunMessage): { type: number; value: Uint8Array }[] {
  return m.attributes
    .filter((a) => a.type !== AttributeType.MessageIntegrity && a.type !== AttributeType.Fingerprint)
    .map((a) => ({ type: a.type, value: a.value }));
}

/** The RFC pads with spaces where RFC 8489 now says zeros (§14); our re-encoding writes zeros. */
function withZeroPadding(vector: Uint8Array, m: StunMessage): Uint8Array {
  const out = vector.slice();
  for (const a of m.attributes) {
    const start = a.offset + 4 + a.value.length;
    out.fill(0, start, a.offset + 4 + ((a.value.length + 3) & ~3));
  }
  return out;
}

describe('RFC 5769 §2.1 sample request', () => {
  const m = parsed(SAMPLE_REQUEST);

  it('decodes the Binding request and its attributes', () => {
    expect(m.method).toBe(StunMethod.Binding);
    expect(m.cls).toBe('request');
    expect(Buffer.from(m.transactionId).toString('hex')).toBe('b7e7a701bc34d686fa87dfae');
    expect(m.attributes.map((a) => a.type)).toEqual([0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028]);
    expect(text(getAttribute(m, AttributeType.Software)?.value)).toBe('STUN test client');
    expect(decodeText(getAttribute(m, AttributeType.Username)!.value, 513)).toBe('evtj:h6vY');
    expect(decodePriority(getAttribute(m, AttributeType.Priority)!.value)).toBe(0x6e0001ff);
    expect(decodeTieBreaker(getAttribute(m, AttributeType.IceControlled)!.value)).toBe(0x932ff9b151263b36n);
  });

  it('has a valid MESSAGE-INTEGRITY under the short-term password and a valid FINGERPRINT', () => {
    expect(checkMessageIntegrity(m, shortTermKey(SHORT_TERM_PASSWORD))).toBe('valid');
    expect(checkMessageIntegrity(m, shortTermKey('wrong'))).toBe('invalid');
    expect(checkFingerprint(m)).toBe('valid');
  });

  it('re-encodes to the same bytes up to the padding, and our signature verifies', () => {
    const out = serializeSigned(
      {
        method: m.method,
        cls: m.cls,
        transactionId: m.transactionId,
        attributes: unsignedAttributes(m),
      },
      { integrity: shortTermKey(SHORT_TERM_PASSWORD), fingerprint: true },
    );
    expect(out.length).toBe(SAMPLE_REQUEST.length);
    const miOffset = getAttribute(m, AttributeType.MessageIntegrity)!.offset;
    expect(Buffer.from(out.subarray(0, miOffset))).toEqual(Buffer.from(withZeroPadding(SAMPLE_REQUEST, m).subarray(0, miOffset)));
    const again = parsed(out);
    expect(checkMessageIntegrity(again, shortTermKey(SHORT_TERM_PASSWORD))).toBe('valid');
    expect(checkFingerprint(again)).toBe('valid');
  });
});

describe.each([
  ['§2.2 IPv4', SAMPLE_IPV4_RESPONSE, { family: 'IPv4', address: '192.0.2.1', port: 32853 }],
  [
    '§2.3 IPv6',
    SAMPLE_IPV6_RESPONSE,
    {
      family: 'IPv6',
      address: '2001:db8:1234:5678:11:2233:4455:6677',
      port: 32853,
    },
  ],
] as const)('RFC 5769 %s response', (_name, vector, expected) => {
  const m = parsed(vector);

  it('decodes a Binding success response with its XOR-MAPPED-ADDRESS', () => {
    expect(m.method).toBe(StunMethod.Binding);
    expect(m.cls).toBe('success');
    expect(text(getAttribute(m, AttributeType.Software)?.value)).toBe('test vector');
    expect(decodeXorMappedAddress(getAttribute(m, AttributeType.XorMappedAddress)!.value, m.transactionId)).toEqual(expected);
  });

  it('has a valid MESSAGE-INTEGRITY and FINGERPRINT', () => {
    expect(checkMessageIntegrity(m, shortTermKey(SHORT_TERM_PASSWORD))).toBe('valid');
    expect(checkFingerprint(m)).toBe('valid');
  });

  it('encodes the XOR-MAPPED-ADDRESS back to the RFC bytes and re-signs to the same layout', () => {
    const xor = getAttribute(m, AttributeType.XorMappedAddress)!;
    expect(Buffer.from(encodeXorMappedAddress(expected, m.transactionId))).toEqual(Buffer.from(xor.value));
    const out = serializeSigned(
      {
        method: m.method,
        cls: m.cls,
        transactionId: m.transactionId,
        attributes: unsignedAttributes(m),
      },
      { integrity: shortTermKey(SHORT_TERM_PASSWORD), fingerprint: true },
    );
    const miOffset = getAttribute(m, AttributeType.MessageIntegrity)!.offset;
    expect(Buffer.from(out.subarray(0, miOffset))).toEqual(Buffer.from(withZeroPadding(vector, m).subarray(0, miOffset)));
    const again = parsed(out);
    expect(checkMessageIntegrity(again, shortTermKey(SHORT_TERM_PASSWORD))).toBe('valid');
    expect(checkFingerprint(again)).toBe('valid');
  });
});

describe('RFC 5769 §2.4 sample request with long-term authentication', () => {
  const m = parsed(SAMPLE_LONG_TERM_REQUEST);
  const key = longTermKey(LONG_TERM_USERNAME, LONG_TERM_REALM, LONG_TERM_PASSWORD_SASLPREPPED);

  it('decodes USERNAME, NONCE and REALM', () => {
    expect(text(getAttribute(m, AttributeType.Username)?.value)).toBe(LONG_TERM_USERNAME);
    expect(text(getAttribute(m, AttributeType.Nonce)?.value)).toBe(LONG_TERM_NONCE);
    expect(text(getAttribute(m, AttributeType.Realm)?.value)).toBe(LONG_TERM_REALM);
    expect(checkFingerprint(m)).toBe('absent');
  });

  it('has a valid MESSAGE-INTEGRITY under MD5(username:realm:password)', () => {
    expect(checkMessageIntegrity(m, key)).toBe('valid');
    expect(checkMessageIntegrity(m, longTermKey(LONG_TERM_USERNAME, LONG_TERM_REALM, 'TheMatrix'))).toBe('invalid');
  });

  it('re-encodes byte for byte (its padding is already zeros)', () => {
    const out = serializeSigned(
      {
        method: m.method,
        cls: m.cls,
        transactionId: m.transactionId,
        attributes: unsignedAttributes(m),
      },
      { integrity: key },
    );
    expect(Buffer.from(out)).toEqual(Buffer.from(SAMPLE_LONG_TERM_REQUEST));
  });
});
