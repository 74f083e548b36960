import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { MAX_SDP_LENGTH } from './limits';
import { cryptoLines, hasRtcpMux, mediaDirection, payloadFormats, rtcpAddress, zrtpHashes } from './media-view';
import { parseSdp } from './parse';
import { serializeSdp } from './serialize';
import type { SessionDescription } from './types';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function parsed(text: string): SessionDescription {
  const r = parseSdp(text);
  if (!r.ok) throw new Error(`${r.error.code} line ${r.error.line}: ${r.error.message}`);
  return r.value;
}

const lines = (...l: string[]) => l.join('\r\n') + '\r\n';
const HEAD = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0'];

describe('captured offers and answers (fixtures/README.md)', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.sdp'));
  it('has the captured files', () => {
    expect(files.length).toBeGreaterThanOrEqual(13);
  });
  it.each(files)('%s parses and serializes back byte for byte', (f) => {
    // Captured with CRLF; a checkout that rewrites line ends still compares with CRLF.
    const text = fixture(f).replace(/\r?\n/g, '\r\n');
    expect(serializeSdp(parsed(text))).toBe(text);
  });

  it('reads Linphone ZRTP offer: Opus, PCMU without rtpmap, three telephone-events, zrtp-hash', () => {
    const sdp = parsed(fixture('linphone-zrtp-offer.sdp'));
    const audio = sdp.media[0];
    expect(audio.proto).toBe('RTP/AVP');
    const formats = payloadFormats(audio);
    expect(formats.map((f) => `${f.payloadType} ${f.encodingName}/${f.clockRate}`)).toEqual([
      '96 opus/48000',
      '97 speex/16000',
      '98 speex/8000',
      '0 PCMU/8000',
      '8 PCMA/8000',
      '18 G729/8000',
      '99 telephone-event/48000',
      '100 telephone-event/16000',
      '101 telephone-event/8000',
    ]);
    expect(formats[0]).toMatchObject({ channels: 2, fmtp: 'useinbandfec=1' });
    expect(zrtpHashes(sdp, audio)).toEqual([{ kind: 'zrtp-hash', version: '1.10', hash: '1b5da1894f424da9d6441d1f8d81ad9ad45665226c46f3362b4a5bd415678cf7' }]);
    expect(rtcpAddress(sdp, audio)).toEqual({ address: '127.0.0.1', port: 17001 });
  });

  it('reads Linphone SDES offer: four crypto lines per stream, rtcp-mux, rtcp-fb for VP8', () => {
    const sdp = parsed(fixture('linphone-sdes-avpf-video-offer.sdp'));
    expect(sdp.media.map((m) => m.proto)).toEqual(['RTP/SAVPF', 'RTP/SAVPF']);
    expect(cryptoLines(sdp.media[0]).map((c) => c.suite)).toEqual(['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32', 'AES_256_CM_HMAC_SHA1_80', 'AES_256_CM_HMAC_SHA1_32']);
    expect(hasRtcpMux(sdp.media[1])).toBe(true);
    const vp8 = payloadFormats(sdp.media[1])[0];
    expect(vp8.rtcpFb).toEqual([
      { type: 'trr-int', parameters: '5000' },
      { type: 'ccm', parameters: 'tmmbr' },
      { type: 'nack', parameters: 'pli' },
      { type: 'nack', parameters: 'sli' },
      { type: 'ack', parameters: 'rpsi' },
      { type: 'ccm', parameters: 'fir' },
    ]);
  });

  it('reads hold directions from Linphone hold re-INVITE and its answer', () => {
    const hold = parsed(fixture('linphone-sdes-hold-reoffer.sdp'));
    const answer = parsed(fixture('linphone-sdes-hold-answer.sdp'));
    expect(hold.media.map((m) => mediaDirection(hold, m))).toEqual(['sendonly', 'sendonly']);
    expect(answer.media.map((m) => mediaDirection(answer, m))).toEqual(['recvonly', 'recvonly']);
    expect(hold.origin.sessionVersion).toBe(3323n);
  });

  it('reads baresip declining video with port 0', () => {
    const sdp = parsed(fixture('baresip-no-vp8-answer.sdp'));
    expect(sdp.media[1]).toMatchObject({ media: 'video', port: 0, proto: 'RTP/AVP', formats: ['0'] });
    expect(sdp.origin.sessionId).toBe('4035991852');
  });
});

describe('valid SDP corpus', () => {
  it.each([
    ['LF line ends', 'v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 5004 RTP/AVP 0\n'],
    ['no final line end', lines(...HEAD, 'm=audio 5004 RTP/AVP 0').trimEnd()],
    ['IPv6 c= and o=', lines('v=0', 'o=- 1 1 IN IP6 ::1', 's=-', 'c=IN IP6 ::1', 't=0 0', 'm=audio 5004 RTP/AVP 0')],
    ['media-level c= only', lines('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 5004 RTP/AVP 0', 'c=IN IP4 127.0.0.1')],
    ['rejected m-line without c=', lines('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=video 0 RTP/AVP 96')],
    ['every session field (RFC 8866 §5 example)', lines(
      'v=0',
      'o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1',
      's=Call to John Smith',
      'i=SDP Offer #1',
      'u=http://www.jdoe.example.com/home.html',
      'e=Jane Doe <jane@jdoe.example.com>',
      'p=+1 617 555-6011',
      'c=IN IP4 198.51.100.1',
      't=0 0',
      'm=audio 49170 RTP/AVP 0',
      'm=audio 49180 RTP/AVP 0',
      'm=video 51372 RTP/AVP 99',
      'c=IN IP6 2001:db8::2',
      'a=rtpmap:99 h263-1998/90000',
    )],
    ['bandwidth, repeat, zone and key lines', lines(...HEAD, 'b=AS:256', 'r=604800 3600 0 90000', 'z=2882844526 -1h', 'k=prompt', 'm=audio 5004 RTP/SAVP 0', 'b=TIAS:64000', 'k=clear:x')],
    ['multicast c= with ttl', lines('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 233.252.0.1/127', 't=0 0', 'm=audio 5004 RTP/AVP 0')],
    ['hostname c=', lines('v=0', 'o=- 1 1 IN IP4 host.example.com', 's=-', 'c=IN IP4 host.example.com', 't=0 0', 'm=audio 5004 RTP/AVP 0')],
    ['port count', lines(...HEAD, 'm=video 49170/2 RTP/AVP 31')],
    ['session-level direction and zrtp-hash', lines(...HEAD, 'a=sendonly', 'a=zrtp-hash:1.10 1b5da1894f424da9d6441d1f8d81ad9ad45665226c46f3362b4a5bd415678cf7', 'm=audio 5004 RTP/AVP 0')],
    ['64-bit session version', lines('v=0', 'o=- 18446744073709551615 18446744073709551615 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0')],
  ])('%s', (_name, text) => {
    const sdp = parsed(text);
    // Stable: serializing and parsing again gives the same description.
    expect(parsed(serializeSdp(sdp))).toEqual(sdp);
  });

  it('applies the session-level direction when the media has none (RFC 3264 §5.1)', () => {
    const sdp = parsed(lines(...HEAD, 'a=sendonly', 'm=audio 5004 RTP/AVP 0', 'm=video 5006 RTP/AVP 96', 'a=inactive'));
    expect(sdp.media.map((m) => mediaDirection(sdp, m))).toEqual(['sendonly', 'inactive']);
  });

  it('counts sess-version beyond 2^53 exactly', () => {
    const sdp = parsed(lines('v=0', 'o=- 1 18446744073709551615 IN IP4 127.0.0.1', 's=-', 't=0 0'));
    expect(sdp.origin.sessionVersion).toBe(18446744073709551615n);
  });
});

describe('invalid SDP corpus: typed errors, never a throw', () => {
  it.each([
    ['empty', '', 'missing-version'],
    ['no v=', lines('o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0'), 'missing-version'],
    ['v=1', lines('v=1', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0'), 'bad-version'],
    ['no o=', lines('v=0', 's=-', 't=0 0'), 'missing-origin'],
    ['o= with 5 fields', lines('v=0', 'o=- 1 1 IN IP4', 's=-', 't=0 0'), 'bad-origin'],
    ['o= version not a number', lines('v=0', 'o=- 1 x IN IP4 127.0.0.1', 's=-', 't=0 0'), 'bad-origin'],
    ['o= version over 20 digits', lines('v=0', 'o=- 1 123456789012345678901 IN IP4 127.0.0.1', 's=-', 't=0 0'), 'bad-origin'],
    ['no s=', lines('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 't=0 0'), 'missing-session-name'],
    ['two s=', lines('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 's=x', 't=0 0'), 'duplicate-field'],
    ['no t=', lines('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-'), 'missing-timing'],
    ['bad t=', lines('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0'), 'bad-timing'],
    ['r= before t=', lines('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'r=1 2 3', 't=0 0'), 'bad-timing'],
    ['c= with bad IPv4', lines(...HEAD.slice(0, 3), 'c=IN IP4 300.1.1.1', 't=0 0'), 'bad-connection'],
    ['c= with IPv6 under IP4', lines(...HEAD.slice(0, 3), 'c=IN IP4 ::1', 't=0 0'), 'bad-connection'],
    ['c= with unknown nettype', lines(...HEAD.slice(0, 3), 'c=XX IP4 127.0.0.1', 't=0 0'), 'bad-connection'],
    ['two session c=', lines(...HEAD, 'c=IN IP4 127.0.0.1'), 'duplicate-field'],
    ['m= without formats', lines(...HEAD, 'm=audio 5004 RTP/AVP'), 'bad-media'],
    ['m= port over 65535', lines(...HEAD, 'm=audio 65536 RTP/AVP 0'), 'bad-media'],
    ['m= port count 0', lines(...HEAD, 'm=audio 5004/0 RTP/AVP 0'), 'bad-media'],
    ['m= bad proto', lines(...HEAD, 'm=audio 5004 RTP//AVP 0'), 'bad-media'],
    ['media without any c=', lines('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 5004 RTP/AVP 0'), 'missing-connection'],
    ['b= without value', lines(...HEAD, 'b=AS'), 'bad-bandwidth'],
    ['unknown line type', lines(...HEAD, 'x=1'), 'bad-line'],
    ['upper-case line type', lines(...HEAD, 'A=sendrecv'), 'bad-line'],
    ['line without =', lines(...HEAD, 'm audio'), 'bad-line'],
    ['empty line in the middle', lines(...HEAD, '', 'm=audio 5004 RTP/AVP 0'), 'bad-line'],
    ['o= in a media section', lines(...HEAD, 'm=audio 5004 RTP/AVP 0', 'o=- 1 1 IN IP4 127.0.0.1'), 'bad-line'],
    ['attribute name not a token', lines(...HEAD, 'a=bad name:x'), 'bad-attribute'],
    ['NUL byte', lines(...HEAD, 'a=tool:x\u0000y'), 'bad-character'],
    ['bare CR', 'v=0\ro=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n', 'bad-character'],
    ['a line over 4096 characters', lines(...HEAD, `a=tool:${'x'.repeat(4100)}`), 'line-too-long'],
    ['too large', lines(...HEAD, ...Array.from({ length: 2000 }, () => `a=tool:${'x'.repeat(40)}`)), 'too-large'],
    ['too many lines', lines(...HEAD, ...Array.from({ length: 2100 }, () => 'a=x')), 'too-many-lines'],
    ['too many m= lines', lines(...HEAD, ...Array.from({ length: 17 }, () => 'm=audio 5004 RTP/AVP 0')), 'too-many-media'],
    ['too many attributes', lines(...HEAD, 'm=audio 5004 RTP/AVP 0', ...Array.from({ length: 257 }, () => 'a=x')), 'too-many-attributes'],
    ['too many formats', lines(...HEAD, `m=audio 5004 RTP/AVP ${Array.from({ length: 129 }, (_, i) => i).join(' ')}`), 'bad-media'],
  ])('%s -> %s', (_name, text, code) => {
    const r = parseSdp(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('bounds the input before splitting it', () => {
    const r = parseSdp('v=0\r\n' + 'a'.repeat(MAX_SDP_LENGTH));
    expect(r.ok ? 'ok' : r.error.code).toBe('too-large');
  });
});
