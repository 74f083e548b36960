// ICE attributes in SDP (RFC 8839 §5, RFC 8840), read from descriptions parsed by parse.ts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateIceCredentials, iceMediaAttributes, isIceRestart, readIce } from './ice';
import { parseSdp } from './parse';
import { serializeSdp } from './serialize';
import type { SessionDescription } from './types';

const lines = (...l: string[]) => l.join('\r\n') + '\r\n';

function parsed(text: string): SessionDescription {
  const r = parseSdp(text);
  if (!r.ok) throw new Error(`${r.error.code} line ${r.error.line}: ${r.error.message}`);
  return r.value;
}

// The offer of RFC 8839 §5's example (s= given a value, as parse.ts wants one).
const EXAMPLE = lines(
  'v=0',
  'o=jdoe 2890844526 2890842807 IN IP4 203.0.113.141',
  's=-',
  'c=IN IP4 192.0.2.3',
  't=0 0',
  'a=ice-options:ice2',
  'a=ice-pacing:50',
  'a=ice-pwd:asd88fgpdd777uzjYhagZg',
  'a=ice-ufrag:8hhY',
  'm=audio 45664 RTP/AVP 0',
  'b=RS:0',
  'b=RR:0',
  'a=rtpmap:0 PCMU/8000',
  'a=candidate:1 1 UDP 2130706431 203.0.113.141 8998 typ host',
  'a=candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 203.0.113.141 rport 8998',
);

describe('readIce (RFC 8839 §5)', () => {
  it('reads session-level credentials and options and media-level candidates', () => {
    const sdp = parsed(EXAMPLE);
    const r = readIce(sdp.attributes, sdp.media[0].attributes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.credentials).toEqual({ ufrag: '8hhY', pwd: 'asd88fgpdd777uzjYhagZg' });
    expect(r.value.options).toEqual(['ice2']);
    expect(r.value.trickle).toBe(false);
    expect(r.value.lite).toBe(false);
    expect(r.value.rtcpMux).toBe(false);
    expect(r.value.endOfCandidates).toBe(false);
    expect(r.value.candidates.map((c) => `${c.type} ${c.address}:${c.port} ${c.priority}`)).toEqual([
      'host 203.0.113.141:8998 2130706431',
      'srflx 192.0.2.3:45664 1694498815',
    ]);
  });

  it('lets media-level credentials override the session ones, reads trickle, lite, rtcp-mux, end-of-candidates', () => {
    const sdp = parsed(
      lines(
        'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
        'a=ice-lite', 'a=ice-ufrag:sessionufrag', 'a=ice-pwd:sessionpassword0123456789',
        'm=audio 9 RTP/SAVP 0',
        'a=ice-ufrag:m+/1', 'a=ice-pwd:mediapassword0123456789', 'a=ice-options:trickle',
        'a=rtcp-mux', 'a=candidate:1 1 TCP 2130706431 192.0.2.1 9 typ host tcptype active',
        'a=candidate:garbage', 'a=end-of-candidates',
      ),
    );
    const r = readIce(sdp.attributes, sdp.media[0].attributes);
    expect(r.ok && r.value).toMatchObject({
      credentials: { ufrag: 'm+/1', pwd: 'mediapassword0123456789' },
      trickle: true,
      lite: true,
      rtcpMux: true,
      endOfCandidates: true,
      candidates: [],
      ignored: [
        { value: '1 1 TCP 2130706431 192.0.2.1 9 typ host tcptype active', error: 'unsupported-transport' },
        { value: 'garbage', error: 'too-few-fields' },
      ],
    });
  });

  it.each([
    [['a=ice-ufrag:abc', 'a=ice-pwd:0123456789012345678901'], 'bad-ufrag'],
    [['a=ice-ufrag:abc_', 'a=ice-pwd:0123456789012345678901'], 'bad-ufrag'],
    [[`a=ice-ufrag:${'u'.repeat(257)}`, 'a=ice-pwd:0123456789012345678901'], 'bad-ufrag'],
    [['a=ice-ufrag:abcd', 'a=ice-pwd:012345678901234567890'], 'bad-pwd'],
    [['a=ice-ufrag:abcd', 'a=ice-pwd:01234567890123456789 1'], 'bad-pwd'],
    [['a=ice-ufrag:abcd'], 'missing-credentials'],
    [['a=ice-ufrag:abcd', 'a=ice-ufrag:abce', 'a=ice-pwd:0123456789012345678901'], 'duplicate-attribute'],
    [['a=ice-ufrag:abcd', 'a=ice-pwd:0123456789012345678901', 'a=ice-options:trickle  x'], 'bad-ice-options'],
    [['a=ice-ufrag:abcd', 'a=ice-pwd:0123456789012345678901', ...Array.from({ length: 65 }, (_, i) => `a=candidate:${i} 1 UDP 1 192.0.2.1 ${i} typ host`)], 'too-many-candidates'],
  ])('rejects %j with %s (RFC 8839 §5.4)', (media, code) => {
    const sdp = parsed(lines('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9 RTP/AVP 0', ...media));
    const r = readIce(sdp.attributes, sdp.media[0].attributes);
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });

  it('never throws on random attribute values (property)', () => {
    const name = fc.constantFrom('ice-ufrag', 'ice-pwd', 'ice-options', 'candidate', 'ice-lite', 'end-of-candidates');
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.option(fc.string({ maxLength: 80 }), { nil: undefined })), { maxLength: 12 }), (attrs) => {
        const media = attrs.map(([n, value]) => ({ kind: 'other' as const, name: n, value }));
        const r = readIce([], media);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});

describe('iceMediaAttributes, restart detection, credentials', () => {
  it('writes attributes that serialize into SDP and read back the same', () => {
    const sdp = parsed(lines('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9 RTP/AVP 0'));
    const r0 = readIce(parsed(EXAMPLE).attributes, parsed(EXAMPLE).media[0].attributes);
    if (!r0.ok) throw new Error('example');
    sdp.media[0].attributes.push(...iceMediaAttributes({ credentials: r0.value.credentials, candidates: r0.value.candidates, trickle: true, endOfCandidates: true }));
    const text = serializeSdp(sdp);
    expect(text).toContain('a=ice-ufrag:8hhY\r\na=ice-pwd:asd88fgpdd777uzjYhagZg\r\na=ice-options:trickle\r\n');
    expect(text).toContain('a=candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 203.0.113.141 rport 8998\r\na=end-of-candidates\r\n');
    const again = parsed(text);
    const r = readIce(again.attributes, again.media[0].attributes);
    expect(r.ok && r.value.candidates).toEqual(r0.value.candidates);
    expect(() => iceMediaAttributes({ credentials: { ufrag: 'abc', pwd: 'x'.repeat(22) }, candidates: [] })).toThrow(RangeError);
  });

  it('detects an ICE restart by changed ufrag or pwd (RFC 8839 §4.4.1.1.2)', () => {
    const a = { ufrag: 'abcd', pwd: '0123456789012345678901' };
    expect(isIceRestart(undefined, a)).toBe(false);
    expect(isIceRestart(a, { ...a })).toBe(false);
    expect(isIceRestart(a, { ...a, ufrag: 'abce' })).toBe(true);
    expect(isIceRestart(a, { ...a, pwd: '0123456789012345678902' })).toBe(true);
  });

  it('generates credentials within the RFC 8839 §5.4 rules', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const c = generateIceCredentials((n) => bytes.subarray(0, n));
        const r = readIce([], iceMediaAttributes({ credentials: c, candidates: [] }));
        expect(r.ok && r.value.credentials).toEqual(c);
      }),
    );
  });
});
