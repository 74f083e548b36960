// Codec properties: hostile bytes never throw, what we serialize parses back the same, and the
// attribute encoders round-trip.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AttributeType,
  checkFingerprint,
  checkMessageIntegrity,
  checkMessageIntegritySha256,
  decodeErrorCode,
  decodeMessageType,
  decodeUnknownAttributes,
  decodeXorMappedAddress,
  encodeErrorCode,
  encodeMessageType,
  encodeUnknownAttributes,
  encodeXorMappedAddress,
  getAttribute,
  parseMessage,
  serializeMessage,
  serializeSigned,
} from './index';
import type { StunClass } from './index';

const classes: StunClass[] = ['request', 'indication', 'success', 'error'];
const arbInit = fc.record({
  method: fc.integer({ min: 0, max: 0xfff }),
  cls: fc.constantFrom(...classes),
  transactionId: fc.uint8Array({ minLength: 12, maxLength: 12 }),
  attributes: fc.array(
    fc.record({
      // Types other than the integrity/fingerprint ones, which serializeSigned places itself.
      type: fc.integer({ min: 0, max: 0xffff }).filter((t) => t !== 0x0008 && t !== 0x001c && t !== 0x8028),
      value: fc.uint8Array({ maxLength: 64 }),
    }),
    { maxLength: 8 },
  ),
});

describe('STUN message codec', () => {
  it('packs method and class bits as RFC 8489 §5 shows (Binding 0x0001/0x0101/0x0111, Allocate success 0x0103)', () => {
    expect(encodeMessageType(0x001, 'request')).toBe(0x0001);
    expect(encodeMessageType(0x001, 'success')).toBe(0x0101);
    expect(encodeMessageType(0x001, 'error')).toBe(0x0111);
    expect(encodeMessageType(0x003, 'success')).toBe(0x0103);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xfff }), fc.constantFrom(...classes), (method, cls) => {
        expect(decodeMessageType(encodeMessageType(method, cls))).toEqual({
          method,
          cls,
        });
      }),
    );
  });

  it('parse never throws on arbitrary bytes, and on arbitrary bytes behind a valid header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        parseMessage(bytes);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 12, maxLength: 12 }), (body, tid) => {
        const padded = new Uint8Array(20 + (body.length & ~3));
        padded.set(body.subarray(0, body.length & ~3), 20);
        padded.set([0x00, 0x01, (padded.length - 20) >> 8, (padded.length - 20) & 0xff, 0x21, 0x12, 0xa4, 0x42]);
        padded.set(tid, 8);
        const r = parseMessage(padded);
        if (r.ok) {
          checkFingerprint(r.message);
          checkMessageIntegrity(r.message, new Uint8Array(16));
          checkMessageIntegritySha256(r.message, new Uint8Array(16));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects hostile headers and attributes with a typed error', () => {
    const ok = serializeMessage({
      method: 1,
      cls: 'request',
      transactionId: new Uint8Array(12),
      attributes: [{ type: 0x8022, value: new Uint8Array(5) }],
    });
    expect(parseMessage(ok.subarray(0, 19))).toEqual({
      ok: false,
      error: 'too-short',
    });
    expect(parseMessage(Uint8Array.from([0x80, ...ok.subarray(1)]))).toEqual({
      ok: false,
      error: 'not-stun',
    });
    expect(parseMessage(ok.subarray(0, ok.length - 4))).toEqual({
      ok: false,
      error: 'bad-length',
    });
    const longAttr = ok.slice();
    longAttr[23] = 200;
    expect(parseMessage(longAttr)).toEqual({
      ok: false,
      error: 'truncated-attribute',
    });
    const afterFingerprint = serializeMessage({
      method: 1,
      cls: 'request',
      transactionId: new Uint8Array(12),
      attributes: [
        { type: AttributeType.Fingerprint, value: new Uint8Array(4) },
        { type: 0x8022, value: new Uint8Array(0) },
      ],
    });
    expect(parseMessage(afterFingerprint)).toEqual({
      ok: false,
      error: 'attribute-after-fingerprint',
    });
  });

  it('serialize then parse round-trips, signed with both integrities and a fingerprint', () => {
    fc.assert(
      fc.property(arbInit, fc.uint8Array({ minLength: 1, maxLength: 32 }), (init, key) => {
        const r = parseMessage(
          serializeSigned(init, {
            integrity: key,
            integritySha256: key,
            fingerprint: true,
          }),
        );
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.message.method).toBe(init.method);
        expect(r.message.cls).toBe(init.cls);
        expect(Array.from(r.message.transactionId)).toEqual(Array.from(init.transactionId));
        const plain = r.message.attributes.slice(0, init.attributes.length);
        expect(plain.map((a) => ({ type: a.type, value: Array.from(a.value) }))).toEqual(
          init.attributes.map((a) => ({
            type: a.type,
            value: Array.from(a.value),
          })),
        );
        expect(checkMessageIntegrity(r.message, key)).toBe('valid');
        expect(checkMessageIntegritySha256(r.message, key)).toBe('valid');
        expect(checkFingerprint(r.message)).toBe('valid');
      }),
      { numRuns: 300 },
    );
  });

  it('a flipped bit breaks the fingerprint or the integrity, never both silently', () => {
    fc.assert(
      fc.property(arbInit, fc.nat(), fc.integer({ min: 0, max: 7 }), (init, at, bit) => {
        const key = new Uint8Array([1, 2, 3]);
        const bytes = serializeSigned(init, {
          integrity: key,
          fingerprint: true,
        });
        const i = 20 + (at % (bytes.length - 20));
        bytes[i] ^= 1 << bit;
        const r = parseMessage(bytes);
        if (!r.ok) return;
        const fp = checkFingerprint(r.message);
        const mi = checkMessageIntegrity(r.message, key);
        expect(fp === 'valid' && mi === 'valid').toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('ignores attributes after MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT (RFC 8489 §14.5)', () => {
    const bytes = serializeMessage({
      method: 1,
      cls: 'success',
      transactionId: new Uint8Array(12),
      attributes: [
        { type: AttributeType.MessageIntegrity, value: new Uint8Array(20) },
        { type: AttributeType.XorMappedAddress, value: new Uint8Array(8) },
      ],
    });
    const r = parseMessage(bytes);
    expect(r.ok && getAttribute(r.message, AttributeType.XorMappedAddress)).toBe(undefined);
  });
});

describe('STUN attribute values', () => {
  it('XOR-MAPPED-ADDRESS round-trips IPv4 and IPv6 (RFC 8489 §14.2)', () => {
    const v4 = fc.record({
      family: fc.constant('IPv4' as const),
      address: fc.ipV4(),
      port: fc.integer({ min: 0, max: 0xffff }),
    });
    fc.assert(
      fc.property(v4, fc.uint8Array({ minLength: 12, maxLength: 12 }), (a, tid) => {
        expect(decodeXorMappedAddress(encodeXorMappedAddress(a, tid), tid)).toEqual(a);
      }),
    );
    const tid = new Uint8Array(12).fill(0xab);
    for (const address of ['::1', '::', 'fe80::1:2', '2001:db8::', '1:2:3:4:5:6:7:8', '2001:db8:0:0:1::1']) {
      const back = decodeXorMappedAddress(encodeXorMappedAddress({ family: 'IPv6', address, port: 9 }, tid), tid);
      expect(back?.address).toBe(address === '2001:db8:0:0:1::1' ? '2001:db8::1:0:0:1' : address);
    }
    expect(decodeXorMappedAddress(new Uint8Array(7), tid)).toBe(undefined);
    expect(decodeXorMappedAddress(Uint8Array.from([0, 3, 0, 0, 0, 0, 0, 0]), tid)).toBe(undefined);
  });

  it('ERROR-CODE and UNKNOWN-ATTRIBUTES round-trip; bad classes are refused (RFC 8489 §14.8, §14.13)', () => {
    expect(decodeErrorCode(encodeErrorCode({ code: 420, reason: 'Unknown Attribute' }))).toEqual({
      code: 420,
      reason: 'Unknown Attribute',
    });
    expect(decodeErrorCode(encodeErrorCode({ code: 300, reason: '' }))).toEqual({ code: 300, reason: '' });
    expect(decodeErrorCode(Uint8Array.from([0, 0, 2, 0]))).toBe(undefined);
    expect(decodeErrorCode(Uint8Array.from([0, 0, 4, 100]))).toBe(undefined);
    expect(decodeUnknownAttributes(encodeUnknownAttributes([0x0001, 0x7fff]))).toEqual([0x0001, 0x7fff]);
    expect(decodeUnknownAttributes(new Uint8Array(3))).toBe(undefined);
  });
});
