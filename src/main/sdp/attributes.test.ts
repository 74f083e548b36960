import { describe, it, expect } from 'vitest';
import { formatAttribute, parseAttribute } from './attributes';
import { decodeCryptoKey, type CryptoAttribute } from './crypto-attribute';
import { sameZrtpHash } from './zrtp-hash';

function roundTrip(text: string) {
  const a = parseAttribute(text);
  if (typeof a === 'string') throw new Error(a);
  expect(formatAttribute(a)).toBe(text);
  return a;
}

describe('typed attributes', () => {
  it.each([
    ['rtpmap:96 opus/48000/2', { kind: 'rtpmap', payloadType: 96, encodingName: 'opus', clockRate: 48000, encodingParameters: 2 }],
    ['rtpmap:0 PCMU/8000', { kind: 'rtpmap', payloadType: 0, encodingName: 'PCMU', clockRate: 8000 }],
    ['rtpmap:101 telephone-event/8000', { kind: 'rtpmap', payloadType: 101, encodingName: 'telephone-event', clockRate: 8000 }],
    ['rtpmap:96 VP8/90000', { kind: 'rtpmap', payloadType: 96, encodingName: 'VP8', clockRate: 90000 }],
    ['fmtp:96 stereo=1;sprop-stereo=1', { kind: 'fmtp', format: '96', parameters: 'stereo=1;sprop-stereo=1' }],
    ['fmtp:101 0-15', { kind: 'fmtp', format: '101', parameters: '0-15' }],
    // RFC 3605 §2.1 examples
    ['rtcp:53020', { kind: 'rtcp', port: 53020 }],
    ['rtcp:53020 IN IP4 126.16.64.4', { kind: 'rtcp', port: 53020, connection: { netType: 'IN', addrType: 'IP4', address: '126.16.64.4' } }],
    ['rtcp:53020 IN IP6 2001:2345:6789:ABCD:EF01:2345:6789:ABCD', { kind: 'rtcp', port: 53020, connection: { netType: 'IN', addrType: 'IP6', address: '2001:2345:6789:ABCD:EF01:2345:6789:ABCD' } }],
    ['rtcp-mux', { kind: 'rtcp-mux' }],
    ['rtcp-fb:96 nack', { kind: 'rtcp-fb', payloadType: 96, type: 'nack' }],
    ['rtcp-fb:96 nack pli', { kind: 'rtcp-fb', payloadType: 96, type: 'nack', parameters: 'pli' }],
    ['rtcp-fb:96 ccm fir', { kind: 'rtcp-fb', payloadType: 96, type: 'ccm', parameters: 'fir' }],
    ['rtcp-fb:* trr-int 5000', { kind: 'rtcp-fb', payloadType: '*', type: 'trr-int', parameters: '5000' }],
    ['sendrecv', { kind: 'direction', direction: 'sendrecv' }],
    ['sendonly', { kind: 'direction', direction: 'sendonly' }],
    ['recvonly', { kind: 'direction', direction: 'recvonly' }],
    ['inactive', { kind: 'direction', direction: 'inactive' }],
    ['ssrc:274348869 cname:sip:a@127.0.0.1:5080', { kind: 'ssrc', ssrc: 274348869, attribute: 'cname', value: 'sip:a@127.0.0.1:5080' }],
    ['mid:audio', { kind: 'mid', id: 'audio' }],
    ['rtcp-rsize', { kind: 'other', name: 'rtcp-rsize' }],
    ['tool:baresip 1.0.0', { kind: 'other', name: 'tool', value: 'baresip 1.0.0' }],
    ['x-empty:', { kind: 'other', name: 'x-empty', value: '' }],
  ])('a=%s parses and formats back byte for byte', (text, expected) => {
    expect(roundTrip(text)).toEqual(expected);
  });

  it.each([
    'rtpmap:096 opus/48000/2',
    'rtpmap:128 x/8000',
    'rtpmap:96 opus',
    'rtpmap:96 opus/0',
    'rtpmap:96  opus/48000',
    'fmtp:96',
    'rtcp:70000',
    'rtcp:53020 IN IP4',
    'rtcp:53020 IN IP4 not..an.address',
    'rtcp-fb:abc nack',
    'sendrecv:x',
    'rtcp-mux:1',
    'zrtp-hash:1.10',
    'zrtp-hash:1.10 abc',
    'zrtp-hash:x 1b5da1894f424da9d6441d1f8d81ad9ad45665226c46f3362b4a5bd415678cf7',
    'crypto:1 AES_CM_128_HMAC_SHA1_80',
    'crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abc',
    'crypto:1 AES_CM_128_HMAC_SHA1_80 uri:http://x',
    'crypto:1  AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
    'crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:0',
    'crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4|2^20',
    'ssrc:x cname:y',
    'mid:a b',
  ])('a=%s stays a malformed attribute, verbatim', (text) => {
    const a = parseAttribute(text);
    expect(typeof a).toBe('object');
    if (typeof a === 'string') return;
    expect(a.kind).toBe('malformed');
    expect(formatAttribute(a)).toBe(text);
  });

  it('refuses a line whose attribute name is not a token', () => {
    expect(typeof parseAttribute('')).toBe('string');
    expect(typeof parseAttribute('a b:c')).toBe('string');
  });
});

describe('a=zrtp-hash (RFC 6189 §8.1)', () => {
  const line = 'zrtp-hash:1.10 1b5da1894f424da9d6441d1f8d81ad9ad45665226c46f3362b4a5bd415678cf7';
  it('parses the line Linphone 5.1 sends and formats it back byte for byte', () => {
    expect(roundTrip(line)).toEqual({ kind: 'zrtp-hash', version: '1.10', hash: '1b5da1894f424da9d6441d1f8d81ad9ad45665226c46f3362b4a5bd415678cf7' });
  });
  it('keeps upper-case hex as written but compares it without case', () => {
    const upper = roundTrip(line.toUpperCase().replace('ZRTP-HASH', 'zrtp-hash'));
    const lower = roundTrip(line);
    if (upper.kind !== 'zrtp-hash' || lower.kind !== 'zrtp-hash') throw new Error('not parsed');
    expect(sameZrtpHash(upper, lower)).toBe(true);
    expect(sameZrtpHash(upper, { version: '1.10', hash: '0'.repeat(64) })).toBe(false);
    expect(sameZrtpHash(lower, { version: '1.1', hash: lower.hash })).toBe(false);
  });
});

describe('a=crypto (RFC 4568)', () => {
  it.each([
    // RFC 4568 §4 example offer, both lines.
    'crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32',
    'crypto:2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP',
    // Linphone 5.1 (fixtures/linphone-sdes-avpf-video-offer.sdp)
    'crypto:3 AES_256_CM_HMAC_SHA1_80 inline:aU0qj8tWYpm91FhPph0cqpF5LAFp/3b653NohQNKsLfcKpXeLqwiJI+cN2l5tw==',
    'crypto:1 AES_CM_128_HMAC_SHA1_80 inline:YUJDZGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2|1066:4',
    'crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1048576 UNENCRYPTED_SRTCP KDR=1',
  ])('a=%s round-trips byte for byte', (text) => {
    const a = roundTrip(text);
    expect(a.kind).toBe('crypto');
  });

  it('reads tag, suite, lifetime, MKI and session params', () => {
    const a = roundTrip('crypto:2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP') as CryptoAttribute;
    expect(a.tag).toBe(2);
    expect(a.suite).toBe('F8_128_HMAC_SHA1_80');
    expect(a.keyParams).toEqual([
      { method: 'inline', keySalt: 'MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm', lifetime: '2^20', mki: { value: '1', length: 4 } },
      { method: 'inline', keySalt: 'QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5', lifetime: '2^20', mki: { value: '2', length: 4 } },
    ]);
    expect(a.sessionParams).toEqual(['FEC_ORDER=FEC_SRTP']);
  });

  it('decodes key and salt with the sizes of the suite', () => {
    const a = roundTrip('crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32') as CryptoAttribute;
    const k = decodeCryptoKey(a);
    if (typeof k === 'string') throw new Error(k);
    expect(k.masterKey.length).toBe(16);
    expect(k.masterSalt.length).toBe(14);
    expect(Buffer.concat([k.masterKey, k.masterSalt]).toString('base64')).toBe('PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR');
    expect(k.lifetime).toBe('2^20');
    expect(k.mki).toEqual({ value: '1', length: 32 });
    const aes256 = roundTrip('crypto:3 AES_256_CM_HMAC_SHA1_80 inline:aU0qj8tWYpm91FhPph0cqpF5LAFp/3b653NohQNKsLfcKpXeLqwiJI+cN2l5tw==') as CryptoAttribute;
    const k256 = decodeCryptoKey(aes256);
    expect(typeof k256 === 'object' && k256.masterKey.length === 32 && k256.masterSalt.length === 14).toBe(true);
  });

  it('refuses a key of the wrong size for its suite and an unknown suite', () => {
    const short = roundTrip('crypto:1 AES_256_CM_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR') as CryptoAttribute;
    expect(decodeCryptoKey(short)).toMatch(/needs 46 bytes/);
    const f8 = roundTrip('crypto:2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm') as CryptoAttribute;
    expect(decodeCryptoKey(f8)).toMatch(/unknown crypto-suite/);
  });
});
