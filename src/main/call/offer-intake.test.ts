// The body checks an incoming INVITE passes before its SDP is read (RFC 3261 §8.2.3, §20.1,
// §21.4.7, §21.4.16; RFC 5621) and the transport check of §20.43.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSdp } from '../sdp';
import { DEFAULT_AUDIO_CODECS, DEFAULT_VIDEO_CODECS } from '../sdp';
import { acceptsSdp, incompatibleCodecs, incompatibleTransport, offerText } from './offer-intake';

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';

function view(headers: Record<string, string>, body: string) {
  const map = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { header: (name: string) => (map.has(name) ? [map.get(name)!] : []), body };
}

describe('offerText', () => {
  it('an application/sdp body is the offer; no body is a delayed offer', () => {
    expect(offerText(view({ 'Content-Type': 'application/sdp' }, SDP))).toEqual({ sdp: SDP });
    expect(offerText(view({}, ''))).toEqual({ sdp: undefined });
  });

  it('Content-Encoding identity is no coding; gzip is 415 with Accept-Encoding', () => {
    expect(offerText(view({ 'Content-Type': 'application/sdp', 'Content-Encoding': 'identity' }, SDP))).toEqual({ sdp: SDP });
    expect(offerText(view({ 'Content-Type': 'application/sdp', 'Content-Encoding': 'gzip' }, SDP))).toMatchObject({ status: 415, headers: [['Accept-Encoding', 'identity']] });
  });

  it.each([
    ['text/plain', 'hello'],
    ['', 'v=0'],
    ['application/sdp extra', SDP],
    ['multipart/alternative;boundary=x', `--x\r\nContent-Type: application/sdp\r\n\r\n${SDP}\r\n--x--`],
    ['multipart/mixed;boundary=x', '--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x--'],
  ])('Content-Type %j is 415 with Accept: application/sdp', (type, body) => {
    const r = offerText(view(type ? { 'Content-Type': type } : {}, body));
    expect(r).toMatchObject({ status: 415 });
    expect('headers' in r && r.headers).toEqual([['Accept', 'application/sdp, multipart/mixed']]);
  });

  it('takes the SDP part of multipart/mixed, skipping parts of another disposition', () => {
    const body = `--x\r\nContent-Type: application/sdp\r\nContent-Disposition: early-session\r\n\r\nv=1\r\n--x\r\nContent-Type: application/sdp\r\nContent-Disposition: session;handling=required\r\n\r\n${SDP}\r\n--x--`;
    expect(offerText(view({ 'Content-Type': 'multipart/mixed; boundary=x' }, body))).toEqual({ sdp: SDP });
  });

  it('a multipart body that does not frame is 400', () => {
    expect(offerText(view({ 'Content-Type': 'multipart/mixed;boundary=x' }, 'no parts here'))).toMatchObject({ status: 400 });
  });

  it('an Accept without application/sdp is 406', () => {
    expect(offerText(view({ 'Content-Type': 'application/sdp', Accept: 'text/plain' }, SDP))).toMatchObject({ status: 406 });
  });
});

describe('acceptsSdp (§20.1)', () => {
  it.each([
    [[], true],
    [['application/sdp'], true],
    [['text/html, */*;q=0.1'], true],
    [['Application/*'], true],
    [['application/sdp;q=0'], false],
    [['application/sdp;q=0.0, text/plain'], false],
    [[''], false],
  ])('%j → %s', (values, want) => {
    expect(acceptsSdp(values)).toBe(want);
  });
  it('property: never throws', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }), (v) => typeof acceptsSdp(v) === 'boolean'));
  });
});

describe('incompatibleTransport (§20.43)', () => {
  const offer = (proto: string, video?: string) => {
    const text = `${SDP.replace('RTP/AVP', proto)}${video ? `m=video 40002 ${video} 96\r\n` : ''}`;
    const p = parseSdp(text);
    if (!p.ok) throw new Error(p.error.message);
    return p.value;
  };

  it('a DTLS-SRTP offer is 488 with Warning 302 naming us', () => {
    const r = incompatibleTransport(offer('UDP/TLS/RTP/SAVPF'), '127.0.0.1');
    expect(r).toMatchObject({ status: 488, headers: [['Warning', '302 127.0.0.1 "Incompatible transport protocol"']] });
    expect(r?.refused).toContain('UDP/TLS/RTP/SAVPF');
    expect(incompatibleTransport(offer('UDP/TLS/RTP/SAVPF'), '::1')?.headers[0][1]).toBe('302 [::1] "Incompatible transport protocol"');
  });

  it('an offer with one RTP stream we can answer passes (the other is declined in the answer)', () => {
    expect(incompatibleTransport(offer('RTP/AVP', 'UDP/TLS/RTP/SAVPF'), '127.0.0.1')).toBeUndefined();
    expect(incompatibleTransport(offer('RTP/SAVP'), '127.0.0.1')).toBeUndefined();
  });
});

describe('incompatibleCodecs (§20.43 Warning 305)', () => {
  const codecs = { audio: DEFAULT_AUDIO_CODECS, video: DEFAULT_VIDEO_CODECS };
  const offer = (formats: string, rtpmaps: string[]) => {
    const p = parseSdp(`${SDP.replace('RTP/AVP 0', `RTP/AVP ${formats}`)}${rtpmaps.map((r) => `a=rtpmap:${r}\r\n`).join('')}`);
    if (!p.ok) throw new Error(p.error.message);
    return p.value;
  };

  it('G.729 with telephone-event only: 488 with Warning 305 naming what was offered', () => {
    const r = incompatibleCodecs(offer('18 101', ['18 G729/8000', '101 telephone-event/8000']), '127.0.0.1', codecs);
    expect(r).toMatchObject({ status: 488, headers: [['Warning', '305 127.0.0.1 "Incompatible media format"']] });
    expect(r?.refused).toContain('G729/8000');
  });

  it('one codec in common passes, whatever else is offered', () => {
    expect(incompatibleCodecs(offer('18 0', ['18 G729/8000']), '127.0.0.1', codecs)).toBeUndefined();
    expect(incompatibleCodecs(offer('96', ['96 opus/48000/2']), '127.0.0.1', codecs)).toBeUndefined();
  });

  it('what the media can send decides: a G.711-only source refuses an Opus-only offer', () => {
    const pcmOnly = { audio: DEFAULT_AUDIO_CODECS.filter((c) => c.encodingName !== 'opus'), video: [] };
    expect(incompatibleCodecs(offer('96', ['96 opus/48000/2']), '127.0.0.1', pcmOnly)?.status).toBe(488);
  });
});
