// TURN attribute codecs (RFC 8656 §18): fixed layouts, round trips, and hostile values that
// decode to undefined instead of throwing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AttributeType,
  CHANNEL_MAX,
  CHANNEL_MIN,
  StunMethod,
  TRANSPORT_UDP,
  decodeAddressFamily,
  decodeChannelNumber,
  decodeLifetime,
  decodeRequestedTransport,
  decodeXorMappedAddress,
  encodeAddressFamily,
  encodeChannelNumber,
  encodeLifetime,
  encodeMessageType,
  encodeRequestedTransport,
  encodeXorMappedAddress,
} from './index';

describe('TURN methods and attribute types (RFC 8656 §17, §18)', () => {
  it('encodes the TURN message types the RFC lists', () => {
    // §17: Allocate request 0x0003, its success 0x0103 and error 0x0113; Send indication 0x0016,
    // Data indication 0x0017; ChannelBind request 0x0009.
    expect(encodeMessageType(StunMethod.Allocate, 'request')).toBe(0x0003);
    expect(encodeMessageType(StunMethod.Allocate, 'success')).toBe(0x0103);
    expect(encodeMessageType(StunMethod.Allocate, 'error')).toBe(0x0113);
    expect(encodeMessageType(StunMethod.Send, 'indication')).toBe(0x0016);
    expect(encodeMessageType(StunMethod.Data, 'indication')).toBe(0x0017);
    expect(encodeMessageType(StunMethod.ChannelBind, 'request')).toBe(0x0009);
    expect(AttributeType.XorRelayedAddress).toBe(0x0016);
    expect(AttributeType.RequestedTransport).toBe(0x0019);
  });
});

describe('TURN attribute codecs (RFC 8656 §18)', () => {
  it('LIFETIME is a 32-bit big-endian number of seconds (§18.2)', () => {
    expect(Array.from(encodeLifetime(600))).toEqual([0, 0, 0x02, 0x58]);
    expect(decodeLifetime(Uint8Array.of(0xff, 0xff, 0xff, 0xff))).toBe(0xffffffff);
    expect(decodeLifetime(Uint8Array.of(0, 0, 1))).toBeUndefined();
    expect(() => encodeLifetime(-1)).toThrow(RangeError);
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (s) => decodeLifetime(encodeLifetime(s)) === s));
  });

  it('CHANNEL-NUMBER holds 0x4000..0x4FFF and 16 RFFU bits (§18.1, §12)', () => {
    expect(Array.from(encodeChannelNumber(0x4001))).toEqual([0x40, 0x01, 0, 0]);
    expect(decodeChannelNumber(Uint8Array.of(0x3f, 0xff, 0, 0))).toBeUndefined();
    expect(decodeChannelNumber(Uint8Array.of(0x50, 0x00, 0, 0))).toBeUndefined();
    expect(decodeChannelNumber(Uint8Array.of(0x40, 0x00))).toBeUndefined();
    expect(() => encodeChannelNumber(0x5000)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.integer({ min: CHANNEL_MIN, max: CHANNEL_MAX }), (n) => decodeChannelNumber(encodeChannelNumber(n)) === n),
    );
  });

  it('REQUESTED-TRANSPORT carries the protocol number, 17 for UDP (§18.7)', () => {
    expect(Array.from(encodeRequestedTransport(TRANSPORT_UDP))).toEqual([17, 0, 0, 0]);
    expect(decodeRequestedTransport(Uint8Array.of(17, 0, 0, 0))).toBe(17);
    expect(decodeRequestedTransport(Uint8Array.of(17))).toBeUndefined();
  });

  it('REQUESTED-ADDRESS-FAMILY is 0x01 for IPv4, 0x02 for IPv6 (§18.10)', () => {
    expect(Array.from(encodeAddressFamily('IPv4'))).toEqual([1, 0, 0, 0]);
    expect(decodeAddressFamily(encodeAddressFamily('IPv6'))).toBe('IPv6');
    expect(decodeAddressFamily(Uint8Array.of(3, 0, 0, 0))).toBeUndefined();
  });

  it('XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS use the XOR-MAPPED-ADDRESS layout (§18.3, §18.5)', () => {
    const tid = new Uint8Array(12).fill(7);
    const peer = { family: 'IPv4', address: '192.0.2.15', port: 32853 } as const;
    const v = encodeXorMappedAddress(peer, tid);
    // Port 32853 = 0x8055, XOR 0x2112 = 0xA147; 192.0.2.15 XOR 0x2112A442 = 0xE112A64D.
    expect(Array.from(v)).toEqual([0, 1, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x4d]);
    expect(decodeXorMappedAddress(v, tid)).toEqual(peer);
  });

  it('never throws on hostile values', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (v) => {
        decodeLifetime(v);
        decodeChannelNumber(v);
        decodeRequestedTransport(v);
        decodeAddressFamily(v);
      }),
    );
  });
});
