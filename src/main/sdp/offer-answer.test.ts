import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { DEFAULT_AUDIO_CODECS, DEFAULT_VIDEO_CODECS, PCMU, OPUS, TELEPHONE_EVENT_8000 } from './codecs';
import { withHold, type LocalMediaConfig, type LocalStreamConfig, type LocalStreamSecurity, type SdesKey } from './local-config';
import { mediaDirection, payloadFormats, zrtpHashes } from './media-view';
import type { ActiveStream, NegotiatedStream } from './negotiated';
import { answerOffer, createOffer, createOfferAnswer, processAnswer, rollbackOffer, type OfferAnswerState } from './offer-answer';
import { parseSdp } from './parse';
import { serializeSdp } from './serialize';
import type { SessionDescription } from './types';

const FIXTURES = join(import.meta.dirname, 'fixtures');
function fixture(name: string): SessionDescription {
  const r = parseSdp(readFileSync(join(FIXTURES, name), 'utf8'));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
function sdp(text: string): SessionDescription {
  const r = parseSdp(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const HASH_AUDIO = { version: '1.10', hash: 'a1'.repeat(32) };
const HASH_VIDEO = { version: '1.10', hash: 'b2'.repeat(32) };
const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const key = (suite: SdesKey['suite'], seed: number, keyLength = 16, saltLength = 14): SdesKey => ({ suite, masterKey: bytes(keyLength, seed), masterSalt: bytes(saltLength, seed + 100) });
const SDES_KEYS: SdesKey[] = [key('AES_CM_128_HMAC_SHA1_80', 1), key('AES_256_CM_HMAC_SHA1_80', 2, 32)];

function security(mode: 'zrtp' | 'sdes' | 'none', hash = HASH_AUDIO, keys = SDES_KEYS): LocalStreamSecurity {
  if (mode === 'zrtp') return { mode, zrtpHash: hash };
  if (mode === 'sdes') return { mode, keys };
  return { mode };
}
function audio(mode: 'zrtp' | 'sdes' | 'none', port = 40000): LocalStreamConfig {
  return { kind: 'audio', port, codecs: DEFAULT_AUDIO_CODECS, security: security(mode, HASH_AUDIO) };
}
function video(mode: 'zrtp' | 'sdes' | 'none', port = 40002): LocalStreamConfig {
  return { kind: 'video', port, codecs: DEFAULT_VIDEO_CODECS, security: security(mode, HASH_VIDEO) };
}
function config(streams: LocalStreamConfig[], extra: Partial<LocalMediaConfig> = {}): LocalMediaConfig {
  return { address: '127.0.0.1', rtcpMux: true, streams, ...extra };
}
const fresh = (address = '127.0.0.1') => createOfferAnswer({ sessionId: '1234', address, username: 'vouch' });

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
function active(s: NegotiatedStream | undefined): ActiveStream {
  if (!s || s.status !== 'active') throw new Error(`stream not active: ${JSON.stringify(s)}`);
  return s;
}

describe('initial offer', () => {
  it('lists our codecs, rtcp-mux, direction and the ZRTP hash per stream', () => {
    const { offer, state } = unwrap(createOffer(fresh(), config([audio('zrtp'), video('zrtp')])));
    expect(state.phase).toBe('local-offer');
    expect(serializeSdp(offer)).toBe(
      [
        'v=0',
        'o=vouch 1234 1 IN IP4 127.0.0.1',
        's=-',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        'm=audio 40000 RTP/AVP 96 0 8 101 100',
        'a=rtpmap:96 opus/48000/2',
        'a=fmtp:96 useinbandfec=1; usedtx=1',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/48000',
        'a=fmtp:101 0-15',
        'a=rtpmap:100 telephone-event/8000',
        'a=fmtp:100 0-15',
        'a=rtcp-mux',
        'a=sendrecv',
        `a=zrtp-hash:1.10 ${HASH_AUDIO.hash}`,
        'm=video 40002 RTP/AVP 96',
        'a=rtpmap:96 VP8/90000',
        'a=rtcp-fb:96 nack',
        'a=rtcp-fb:96 nack pli',
        'a=rtcp-fb:96 ccm fir',
        'a=rtcp-mux',
        'a=sendrecv',
        `a=zrtp-hash:1.10 ${HASH_VIDEO.hash}`,
        '',
      ].join('\r\n'),
    );
  });

  it.each([
    ['zrtp', false, 'RTP/AVP'],
    ['zrtp', true, 'RTP/AVPF'],
    ['sdes', false, 'RTP/SAVP'],
    ['sdes', true, 'RTP/SAVPF'],
    ['none', false, 'RTP/AVP'],
  ] as const)('mode %s with avpf=%s offers %s', (mode, avpf, proto) => {
    const { offer } = unwrap(createOffer(fresh(), config([audio(mode)], { avpf })));
    expect(offer.media[0].proto).toBe(proto);
    const kinds = offer.media[0].attributes.map((a) => a.kind);
    expect(kinds.includes('zrtp-hash')).toBe(mode === 'zrtp');
    expect(kinds.includes('crypto')).toBe(mode === 'sdes');
  });

  it('puts one crypto line per SDES key, tags from 1, key||salt in base64', () => {
    const { offer } = unwrap(createOffer(fresh(), config([audio('sdes')])));
    const text = serializeSdp(offer);
    expect(text).toContain(`a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${Buffer.concat([bytes(16, 1), bytes(14, 101)]).toString('base64')}\r\n`);
    expect(text).toContain(`a=crypto:2 AES_256_CM_HMAC_SHA1_80 inline:${Buffer.concat([bytes(32, 2), bytes(14, 102)]).toString('base64')}\r\n`);
  });

  it('offers IPv6 and a separate RTCP port without rtcp-mux (RFC 3605)', () => {
    const { offer } = unwrap(createOffer(fresh('::1'), config([{ ...audio('none'), rtcpPort: 40005 }], { address: '::1', rtcpMux: false })));
    const text = serializeSdp(offer);
    expect(text).toContain('o=vouch 1234 1 IN IP6 ::1\r\n');
    expect(text).toContain('c=IN IP6 ::1\r\n');
    expect(text).toContain('a=rtcp:40005\r\n');
    expect(text).not.toContain('rtcp-mux');
  });
});

describe('answering real offers', () => {
  it('answers Linphone ZRTP offer with its payload type numbers and our hash', () => {
    const offer = fixture('linphone-zrtp-offer.sdp');
    const { answer, streams, state } = unwrap(answerOffer(fresh(), offer, config([audio('zrtp')])));
    expect(state.phase).toBe('stable');
    const a = answer.media[0];
    expect(a.proto).toBe('RTP/AVP');
    expect(a.formats).toEqual(['96', '0', '8', '99', '101']);
    expect(payloadFormats(a).map((f) => `${f.payloadType} ${f.encodingName}/${f.clockRate}`)).toEqual([
      '96 opus/48000',
      '0 PCMU/8000',
      '8 PCMA/8000',
      '99 telephone-event/48000',
      '101 telephone-event/8000',
    ]);
    expect(zrtpHashes(answer, a)[0]).toMatchObject(HASH_AUDIO);
    // Linphone offered no rtcp-mux: no mux in the answer.
    expect(a.attributes.some((x) => x.kind === 'rtcp-mux')).toBe(false);
    const s = active(streams[0]);
    expect(s).toMatchObject({
      kind: 'audio',
      local: { address: '127.0.0.1', rtpPort: 40000, rtcpPort: 40001 },
      remote: { address: '127.0.0.1', rtpPort: 17000, rtcpAddress: '127.0.0.1', rtcpPort: 17001 },
      rtcpMux: false,
      direction: 'sendrecv',
      security: 'zrtp',
      remoteZrtpHash: { version: '1.10', hash: '1b5da1894f424da9d6441d1f8d81ad9ad45665226c46f3362b4a5bd415678cf7' },
      telephoneEvent: { payloadType: 99, clockRate: 48000 },
    });
    expect(s.payloadTypes.map((p) => p.payloadType)).toEqual([96, 0, 8]);
    expect(s.payloadTypes[0]).toMatchObject({ encodingName: 'opus', clockRate: 48000, channels: 2, fmtp: 'useinbandfec=1' });
  });

  it('answers Linphone "camera on" re-INVITE: audio keeps its line, video is added, version +1', () => {
    const first = unwrap(answerOffer(fresh(), fixture('linphone-zrtp-offer.sdp'), config([audio('zrtp')])));
    const re = unwrap(answerOffer(first.state, fixture('linphone-zrtp-camera-on-reoffer.sdp'), config([audio('zrtp'), video('zrtp')])));
    expect(re.answer.origin.sessionVersion).toBe(first.answer.origin.sessionVersion + 1n);
    expect(re.answer.origin.sessionId).toBe(first.answer.origin.sessionId);
    expect(serializeSdp({ ...re.answer, media: [re.answer.media[0]] }).replace(/o=.*\r\n/, '')).toBe(serializeSdp(first.answer).replace(/o=.*\r\n/, ''));
    const v = active(re.streams[1]);
    expect(v).toMatchObject({ kind: 'video', remote: { rtpPort: 17010 }, security: 'zrtp', remoteZrtpHash: { hash: '3477d7c5882ef350fbb38beab886be74c552cfbc28a6983fbc75efeb2d0d2d4d' } });
    expect(v.payloadTypes.map((p) => `${p.payloadType} ${p.encodingName}`)).toEqual(['96 VP8']);
    expect(active(re.streams[0]).remoteZrtpHash?.hash).toBe('1b5da1894f424da9d6441d1f8d81ad9ad45665226c46f3362b4a5bd415678cf7');
  });

  it('answers Linphone SDES offer with the first crypto line we hold a key for, keeping its tag', () => {
    const offer = fixture('linphone-sdes-avpf-video-offer.sdp');
    const only256: SdesKey[] = [key('AES_256_CM_HMAC_SHA1_80', 9, 32)];
    const cfg = config([{ ...audio('sdes'), security: { mode: 'sdes', keys: only256 } }, { ...video('sdes'), security: { mode: 'sdes', keys: only256 } }]);
    const { answer, streams } = unwrap(answerOffer(fresh(), offer, cfg));
    expect(answer.media.map((m) => m.proto)).toEqual(['RTP/SAVPF', 'RTP/SAVPF']);
    const text = serializeSdp(answer);
    expect(text).toContain(`a=crypto:3 AES_256_CM_HMAC_SHA1_80 inline:${Buffer.concat([bytes(32, 9), bytes(14, 109)]).toString('base64')}\r\n`);
    const a = active(streams[0]);
    expect(a.rtcpMux).toBe(true);
    expect(a.remote).toEqual({ address: '127.0.0.1', rtpPort: 17100, rtcpAddress: '127.0.0.1', rtcpPort: 17100 });
    expect(a.sdes?.tag).toBe(3);
    expect(Buffer.concat([a.sdes!.remote.masterKey, a.sdes!.remote.masterSalt]).toString('base64')).toBe('aU0qj8tWYpm91FhPph0cqpF5LAFp/3b653NohQNKsLfcKpXeLqwiJI+cN2l5tw==');
    expect(a.sdes?.local.masterKey).toEqual(bytes(32, 9));
    const v = active(streams[1]);
    expect(v.rtcpFb).toEqual([{ type: 'nack', parameters: 'pli' }, { type: 'ccm', parameters: 'fir' }]);
  });

  it('answers baresip SDES offer (crypto tag 1) and picks telephone-event/8000', () => {
    const { streams, answer } = unwrap(answerOffer(fresh(), fixture('baresip-sdes-video-offer.sdp'), config([audio('sdes'), video('sdes')])));
    const a = active(streams[0]);
    expect(a.sdes?.tag).toBe(1);
    expect(a.sdes?.local.suite).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(a.telephoneEvent).toEqual({ payloadType: 101, clockRate: 8000 });
    expect(answer.media[0].formats).toEqual(['96', '0', '8', '101']);
    expect(active(streams[1]).rtcpFb).toEqual([{ type: 'nack', parameters: 'pli' }]);
  });

  it('answers Linphone hold re-INVITE (sendonly) with recvonly', () => {
    const cfg = config([audio('sdes'), video('sdes')]);
    const first = unwrap(answerOffer(fresh(), fixture('linphone-sdes-avpf-video-offer.sdp'), cfg));
    const held = unwrap(answerOffer(first.state, fixture('linphone-sdes-hold-reoffer.sdp'), cfg));
    expect(held.answer.media.map((m) => mediaDirection(held.answer, m))).toEqual(['recvonly', 'recvonly']);
    expect(held.streams.map((s) => active(s).direction)).toEqual(['recvonly', 'recvonly']);
    const resumed = unwrap(answerOffer(held.state, fixture('linphone-sdes-resume-reoffer.sdp'), cfg));
    expect(resumed.streams.map((s) => active(s).direction)).toEqual(['sendrecv', 'sendrecv']);
    expect(resumed.answer.origin.sessionVersion).toBe(held.answer.origin.sessionVersion + 1n);
  });
});

describe('processing answers to our offers', () => {
  it('re-offer adding video keeps the audio line, its port and hash; version +1; Linphone answer applies', () => {
    const o1 = unwrap(createOffer(fresh(), config([audio('zrtp')])));
    const a1 = unwrap(processAnswer(o1.state, fixture('linphone-zrtp-answer.sdp')));
    expect(active(a1.streams[0]).remote.rtpPort).toBe(18000);
    const o2 = unwrap(createOffer(a1.state, config([audio('zrtp'), video('zrtp')])));
    expect(o2.offer.origin.sessionVersion).toBe(o1.offer.origin.sessionVersion + 1n);
    expect(o2.offer.media[0]).toEqual(o1.offer.media[0]);
    expect(o2.offer.media.map((m) => `${m.media} ${m.port}`)).toEqual(['audio 40000', 'video 40002']);
    const a2 = unwrap(processAnswer(o2.state, fixture('linphone-zrtp-camera-on-answer.sdp')));
    expect(a2.streams.map((s) => s.status)).toEqual(['active', 'active']);
    expect(active(a2.streams[1])).toMatchObject({ kind: 'video', remote: { rtpPort: 18010 }, remoteZrtpHash: { hash: 'd3906a1e5a12a2a710d783b28e009836b7fd0febf21bd7b95425108f576de83e' } });
  });

  it('reports "peer declined video" when baresip without vp8 answers port 0; audio goes on', () => {
    const o = unwrap(createOffer(fresh(), config([audio('none'), video('none')], { rtcpMux: false })));
    const r = unwrap(processAnswer(o.state, fixture('baresip-no-vp8-answer.sdp')));
    expect(r.streams[1]).toEqual({ status: 'rejected', index: 1, kind: 'video', reason: 'peer declined video' });
    const a = active(r.streams[0]);
    expect(a.remote).toEqual({ address: '127.0.0.1', rtpPort: 21006, rtcpAddress: '127.0.0.1', rtcpPort: 21007 });
    expect(a.telephoneEvent).toEqual({ payloadType: 101, clockRate: 8000 });
  });

  it('sends with the payload types of the answer, preferred first', () => {
    const o = unwrap(createOffer(fresh(), config([audio('none')])));
    const answer = sdp('v=0\r\no=- 5 5 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 8 0\r\na=rtcp-mux\r\n');
    const r = unwrap(processAnswer(o.state, answer));
    expect(active(r.streams[0]).payloadTypes.map((p) => p.encodingName)).toEqual(['PCMA', 'PCMU']);
    expect(active(r.streams[0]).rtcpMux).toBe(true);
  });

  it('takes the remote RTCP port and address from a=rtcp (RFC 3605)', () => {
    const o = unwrap(createOffer(fresh(), config([audio('none')], { rtcpMux: false })));
    const answer = sdp('v=0\r\no=- 5 5 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtcp:7000 IN IP4 127.0.0.2\r\n');
    expect(active(unwrap(processAnswer(o.state, answer)).streams[0]).remote).toEqual({ address: '127.0.0.1', rtpPort: 6000, rtcpAddress: '127.0.0.2', rtcpPort: 7000 });
  });

  it.each([
    ['fewer m-lines', 'm=audio 6000 RTP/AVP 0\r\n', 2, 'bad-answer'],
    ['no common codec', 'm=audio 6000 RTP/AVP 18\r\n', 1, 'rejected:no common audio codec'],
    ['changed profile', 'm=audio 6000 RTP/SAVP 0\r\n', 1, "rejected:the answer changed the audio stream's type or profile"],
  ])('%s', (_name, mlines, streams, expected) => {
    const cfg = config(streams === 2 ? [audio('none'), video('none')] : [audio('none')]);
    const o = unwrap(createOffer(fresh(), cfg));
    const r = processAnswer(o.state, sdp(`v=0\r\no=- 5 5 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n${mlines}`));
    if (expected.startsWith('rejected:')) {
      const s = unwrap(r).streams[0];
      expect(s.status === 'rejected' ? `rejected:${s.reason}` : s.status).toBe(expected);
    } else {
      expect(r.ok ? 'ok' : r.error.code).toBe(expected);
    }
  });

  it('skips offered crypto lines with session params or an MKI, taking the next plain one', () => {
    const offer = sdp(
      'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/SAVP 0\r\n' +
        'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR UNENCRYPTED_SRTP\r\n' +
        'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32\r\n' +
        'a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n',
    );
    const { streams } = unwrap(answerOffer(fresh(), offer, config([audio('sdes')])));
    expect(active(streams[0]).sdes?.tag).toBe(3);
  });

  it('refuses an SDES answer with session params', () => {
    const o = unwrap(createOffer(fresh(), config([audio('sdes')])));
    const line = serializeSdp(o.offer).split('\r\n').find((l) => l.startsWith('a=crypto:1 '));
    const answer = sdp(`v=0\r\no=- 5 5 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/SAVP 0\r\n${line} UNENCRYPTED_SRTCP\r\n`);
    const s = unwrap(processAnswer(o.state, answer)).streams[0];
    expect(s.status === 'rejected' && s.reason).toMatch(/session parameters/);
  });

  it('refuses an SDES answer whose crypto tag we never offered', () => {
    const o = unwrap(createOffer(fresh(), config([audio('sdes')])));
    const answer = sdp('v=0\r\no=- 5 5 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/SAVP 0\r\na=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n');
    const s = unwrap(processAnswer(o.state, answer)).streams[0];
    expect(s.status).toBe('rejected');
  });
});

/** Two Vouch sides negotiating with each other. */
function negotiate(offerer: OfferAnswerState, offerCfg: LocalMediaConfig, answerer: OfferAnswerState, answerCfg: LocalMediaConfig) {
  const o = unwrap(createOffer(offerer, offerCfg));
  const a = unwrap(answerOffer(answerer, o.offer, answerCfg));
  const p = unwrap(processAnswer(o.state, a.answer));
  return { offerer: p.state, answerer: a.state, offererStreams: p.streams, answererStreams: a.streams, offer: o.offer, answer: a.answer };
}

describe('Vouch to Vouch', () => {
  const bob = () => createOfferAnswer({ sessionId: '99', address: '127.0.0.1' });
  const bobCfg = (mode: 'zrtp' | 'sdes' | 'none', streams = 2) =>
    config([
      { ...audio(mode, 50000), security: security(mode, { version: '1.10', hash: 'c3'.repeat(32) }, [key('AES_CM_128_HMAC_SHA1_80', 50)]) },
      { ...video(mode, 50002), security: security(mode, { version: '1.10', hash: 'd4'.repeat(32) }, [key('AES_CM_128_HMAC_SHA1_80', 60)]) },
    ].slice(0, streams));

  it.each(['zrtp', 'sdes', 'none'] as const)('%s: both sides see mirrored endpoints, keys and hashes', (mode) => {
    const r = negotiate(fresh(), config([audio(mode), video(mode)]), bob(), bobCfg(mode));
    for (let i = 0; i < 2; i++) {
      const a = active(r.offererStreams[i]);
      const b = active(r.answererStreams[i]);
      expect(a.remote.rtpPort).toBe(b.local.rtpPort);
      expect(b.remote.rtpPort).toBe(a.local.rtpPort);
      expect(a.rtcpMux && b.rtcpMux).toBe(true);
      expect(a.security).toBe(mode);
      expect(a.payloadTypes[0].payloadType).toBe(b.payloadTypes[0].payloadType);
      if (mode === 'zrtp') {
        expect(a.remoteZrtpHash?.hash).toBe(i === 0 ? 'c3'.repeat(32) : 'd4'.repeat(32));
        expect(b.remoteZrtpHash?.hash).toBe(i === 0 ? HASH_AUDIO.hash : HASH_VIDEO.hash);
      }
      if (mode === 'sdes') {
        expect(a.sdes?.local.masterKey).toEqual(b.sdes?.remote.masterKey);
        expect(a.sdes?.remote.masterSalt).toEqual(b.sdes?.local.masterSalt);
      }
    }
    expect(active(r.offererStreams[1]).rtcpFb).toEqual([{ type: 'nack' }, { type: 'nack', parameters: 'pli' }, { type: 'ccm', parameters: 'fir' }]);
  });

  it('hold and resume: sendonly/recvonly, then sendrecv again', () => {
    const aliceCfg = config([audio('zrtp')]);
    const start = negotiate(fresh(), aliceCfg, bob(), bobCfg('zrtp', 1));
    const hold = negotiate(start.offerer, withHold(aliceCfg, true), start.answerer, bobCfg('zrtp', 1));
    expect(active(hold.offererStreams[0]).direction).toBe('sendonly');
    expect(active(hold.answererStreams[0]).direction).toBe('recvonly');
    const resume = negotiate(hold.offerer, withHold(withHold(aliceCfg, true), false), hold.answerer, bobCfg('zrtp', 1));
    expect(active(resume.offererStreams[0]).direction).toBe('sendrecv');
    expect(resume.offer.origin.sessionVersion).toBe(3n);
  });

  it('both on hold gives inactive', () => {
    const aliceCfg = withHold(config([audio('none')]), true);
    const r = negotiate(fresh(), aliceCfg, bob(), withHold(bobCfg('none', 1), true));
    expect(active(r.offererStreams[0]).direction).toBe('inactive');
    expect(mediaDirection(r.answer, r.answer.media[0])).toBe('inactive');
  });

  it('removing video keeps its m-line with port 0 (RFC 3264 §8.2)', () => {
    const start = negotiate(fresh(), config([audio('none'), video('none')]), bob(), bobCfg('none'));
    const r = negotiate(start.offerer, config([audio('none')]), start.answerer, bobCfg('none'));
    expect(r.offer.media.map((m) => `${m.media} ${m.port}`)).toEqual(['audio 40000', 'video 0']);
    expect(r.answer.media[1].port).toBe(0);
    expect(r.offererStreams[1].status).toBe('disabled');
    expect(r.answererStreams[1].status).toBe('disabled');
  });

  it('maps payload types: answers with the offerer numbers', () => {
    const offer = sdp(
      'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' +
        'm=audio 6000 RTP/AVP 111 9 126\r\na=rtpmap:111 OPUS/48000/2\r\na=rtpmap:126 telephone-event/48000\r\n' +
        'm=video 6002 RTP/AVPF 120\r\na=rtpmap:120 vp8/90000\r\na=rtcp-fb:120 nack pli\r\na=rtcp-fb:120 goog-remb\r\n',
    );
    const { answer, streams } = unwrap(answerOffer(bob(), offer, bobCfg('none')));
    expect(answer.media.map((m) => m.formats)).toEqual([['111', '126'], ['120']]);
    expect(answer.media[1].proto).toBe('RTP/AVPF');
    expect(serializeSdp(answer)).toContain('a=rtcp-fb:120 nack pli\r\n');
    expect(serializeSdp(answer)).not.toContain('goog-remb');
    expect(active(streams[0]).telephoneEvent).toEqual({ payloadType: 126, clockRate: 48000 });
    expect(active(streams[1]).rtcpFb).toEqual([{ type: 'nack', parameters: 'pli' }]);
  });
});

describe('rejections and phases', () => {
  const head = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n';

  it('rejects an unsupported stream with port 0 in its place and accepts the rest', () => {
    const offer = sdp(`${head}m=application 9 UDP/BFCP *\r\nm=audio 6000 RTP/AVP 0\r\nm=text 6004 RTP/AVP 98\r\n`);
    const { answer, streams } = unwrap(answerOffer(fresh(), offer, config([audio('none')])));
    expect(answer.media.map((m) => `${m.media} ${m.port} ${m.proto} ${m.formats.join(',')}`)).toEqual(['application 0 UDP/BFCP *', 'audio 40000 RTP/AVP 0', 'text 0 RTP/AVP 98']);
    expect(streams.map((s) => s.status)).toEqual(['rejected', 'active', 'rejected']);
  });

  it.each([
    ['SDES offer while we do ZRTP', `${head}m=audio 6000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n`, 'zrtp', /needs SDES/],
    ['plain offer while we require SDES', `${head}m=audio 6000 RTP/AVP 0\r\n`, 'sdes', /no SRTP profile/],
    ['SDES offer with only unknown suites', `${head}m=audio 6000 RTP/SAVP 0\r\na=crypto:1 F8_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n`, 'sdes', /no acceptable a=crypto/],
    ['no common codec', `${head}m=audio 6000 RTP/AVP 18 3\r\n`, 'none', /no common audio codec/],
    ['only video, we do audio', `${head}m=video 6000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n`, 'none', /video is not supported/],
  ] as const)('488 for %s', (_name, text, mode, reason) => {
    const r = answerOffer(fresh(), sdp(text), config([audio(mode)]));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: 'no-acceptable-stream', status: 488 });
      expect(r.error.message).toMatch(reason);
    }
  });

  it('glare: an offer arriving while ours is outstanding gets 491; rollback restores stable', () => {
    const start = negotiate(fresh(), config([audio('none')]), createOfferAnswer({ sessionId: '9', address: '127.0.0.1' }), config([audio('none', 50000)]));
    const pending = unwrap(createOffer(start.offerer, config([audio('none'), video('none')])));
    const r = answerOffer(pending.state, start.answer, config([audio('none')]));
    expect(r.ok ? 0 : r.error.status).toBe(491);
    const back = rollbackOffer(pending.state);
    expect(back.phase).toBe('stable');
    expect(back.streams).toEqual(start.offerer.streams);
    // The rejected offer used version 2; the next different SDP is 3.
    const again = unwrap(createOffer(back, config([audio('none'), video('none', 40010)])));
    expect(again.offer.origin.sessionVersion).toBe(3n);
    expect(again.offer.media.length).toBe(2);
  });

  it('refuses a second offer of ours and an answer without an offer', () => {
    const o = unwrap(createOffer(fresh(), config([audio('none')])));
    expect(createOffer(o.state, config([audio('none')])).ok).toBe(false);
    const r = processAnswer(fresh(), o.offer);
    expect(r.ok ? '' : r.error.code).toBe('wrong-phase');
  });

  it('refuses a re-offer that drops m-lines (RFC 3264 §8)', () => {
    const first = unwrap(answerOffer(fresh(), fixture('linphone-zrtp-camera-on-reoffer.sdp'), config([audio('zrtp'), video('zrtp')])));
    const r = answerOffer(first.state, fixture('linphone-zrtp-offer.sdp'), config([audio('zrtp'), video('zrtp')]));
    expect(r.ok ? '' : r.error.code).toBe('bad-offer');
  });

  it('keeps the version when a re-offer is identical (session refresh, RFC 3264 §8)', () => {
    const cfg = config([audio('none')]);
    const start = negotiate(fresh(), cfg, createOfferAnswer({ sessionId: '9', address: '127.0.0.1' }), config([audio('none', 50000)]));
    const refresh = unwrap(createOffer(start.offerer, cfg));
    expect(refresh.offer.origin.sessionVersion).toBe(start.offer.origin.sessionVersion);
  });

  it('uses only the codecs we list, in our order', () => {
    const offer = fixture('linphone-zrtp-offer.sdp');
    const cfg = config([{ ...audio('zrtp'), codecs: [PCMU, OPUS, TELEPHONE_EVENT_8000] }]);
    const { answer, streams } = unwrap(answerOffer(fresh(), offer, cfg));
    expect(answer.media[0].formats).toEqual(['0', '96', '101']);
    expect(active(streams[0]).telephoneEvent).toEqual({ payloadType: 101, clockRate: 8000 });
  });
});
