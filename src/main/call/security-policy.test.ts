import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import type { MediaSecurityPolicy } from '../../shared/api';
import { answerOffer, createOfferAnswer, DEFAULT_AUDIO_CODECS, parseSdp, type SessionDescription } from '../sdp';
import {
  checkInitialOffer,
  checkReOffer,
  offerModes,
  runningFromNegotiated,
  securityLabel,
  type PolicyDecision,
  type RunningStream,
} from './security-policy';

const FIXTURES = join(import.meta.dirname, '../sdp/fixtures');
const text = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
function sdp(t: string): SessionDescription {
  const r = parseSdp(t);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const AUDIO_HASH = '1b5da1894f424da9d6441d1f8d81ad9ad45665226c46f3362b4a5bd415678cf7';
const VIDEO_HASH = '3477d7c5882ef350fbb38beab886be74c552cfbc28a6983fbc75efeb2d0d2d4d';
const OTHER_HASH = 'e'.repeat(64);
const CRYPTO = 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR';

// Linphone's initial ZRTP offer and its "camera on" re-INVITE, captured on the wire.
const ZRTP_OFFER = text('linphone-zrtp-offer.sdp');
const CAMERA_ON = text('linphone-zrtp-camera-on-reoffer.sdp');

const zrtpAudio: RunningStream = { index: 0, kind: 'audio', security: { mode: 'zrtp', zrtpHash: { version: '1.10', hash: AUDIO_HASH } } };
const zrtpVideo: RunningStream = { index: 1, kind: 'video', security: { mode: 'zrtp', zrtpHash: { version: '1.10', hash: VIDEO_HASH } } };
const zrtpNoHash: RunningStream = { index: 0, kind: 'audio', security: { mode: 'zrtp' } };
const sdesAudio: RunningStream = { index: 0, kind: 'audio', security: { mode: 'sdes' } };
const plainAudio: RunningStream = { index: 0, kind: 'audio', security: { mode: 'none' } };

const dropLines = (t: string, re: RegExp) => t.split('\r\n').filter((l) => !re.test(l)).join('\r\n');
const PLAIN_AUDIO_ONLY = dropLines(ZRTP_OFFER, /^a=zrtp-hash/);
const MINIMAL = (body: string) => `v=0\r\no=- 7 8 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n${body}`;

function verdict(d: PolicyDecision): string {
  return d.verdict === 'accept' ? `accept ${d.streams.map((s) => s ?? '-').join(',')}` : `488 ${d.reason}`;
}

describe('re-offers during a call: refused (488) when they weaken it', () => {
  it.each([
    ['plain RTP/AVP without any a=zrtp-hash', [zrtpAudio], PLAIN_AUDIO_ONLY, '488 the server dropped ZRTP from the call (plain RTP offered for the audio stream)'],
    ['SDES swapped in (RTP/SAVP + a=crypto)', [zrtpAudio], dropLines(ZRTP_OFFER, /^a=zrtp-hash/).replace('RTP/AVP', 'RTP/SAVP').replace('a=rtcp-fb:* trr-int', `${CRYPTO}\r\na=rtcp-fb:* trr-int`), '488 the server tried to switch a ZRTP stream to SDES (audio)'],
    ['a=crypto slipped into RTP/AVP next to the hash', [zrtpAudio], ZRTP_OFFER.replace('a=rtcp-fb:* trr-int', `${CRYPTO}\r\na=rtcp-fb:* trr-int`), '488 the server tried to switch a ZRTP stream to SDES (audio)'],
    ['RTP/SAVP keeping the hash', [zrtpAudio], ZRTP_OFFER.replace('RTP/AVP', 'RTP/SAVP'), '488 the server tried to switch a ZRTP stream to SDES (audio)'],
    ['a=zrtp-hash removed from the running audio line (video keeps one)', [zrtpAudio], CAMERA_ON.replace(`a=zrtp-hash:1.10 ${AUDIO_HASH}\r\n`, ''), '488 the server removed a=zrtp-hash from the running audio stream'],
    ['a=zrtp-hash of the running stream changed', [zrtpAudio], ZRTP_OFFER.replace(AUDIO_HASH, OTHER_HASH), '488 the server changed the a=zrtp-hash of a running audio stream'],
    ['a=zrtp-hash version changed', [zrtpAudio], ZRTP_OFFER.replace('zrtp-hash:1.10', 'zrtp-hash:1.11'), '488 the server changed the a=zrtp-hash of a running audio stream'],
    ['a second, different a=zrtp-hash added to the running line', [zrtpAudio], ZRTP_OFFER.replace('a=rtcp-fb:* trr-int', `a=zrtp-hash:1.10 ${OTHER_HASH}\r\na=rtcp-fb:* trr-int`), '488 the server changed the a=zrtp-hash of a running audio stream (malformed or duplicated)'],
    ['a=zrtp-hash made malformed', [zrtpAudio], ZRTP_OFFER.replace(AUDIO_HASH, AUDIO_HASH.slice(1)), '488 the server changed the a=zrtp-hash of a running audio stream (malformed or duplicated)'],
    ['running video hash changed while audio keeps its own', [zrtpAudio, zrtpVideo], CAMERA_ON.replace(VIDEO_HASH, OTHER_HASH), '488 the server changed the a=zrtp-hash of a running video stream'],
    ['video added with SDES to a ZRTP call', [zrtpAudio], CAMERA_ON.replace('m=video 17010 RTP/AVP', 'm=video 17010 RTP/SAVP').replace(`a=zrtp-hash:1.10 ${VIDEO_HASH}`, CRYPTO), '488 the server tried to add a video stream with SDES to a ZRTP call'],
    ['video added without a=zrtp-hash to a ZRTP call', [zrtpAudio], CAMERA_ON.replace(`a=zrtp-hash:1.10 ${VIDEO_HASH}\r\n`, ''), '488 the server tried to add a video stream without a=zrtp-hash to a ZRTP call'],
    ['the running m-line removed', [zrtpAudio, zrtpVideo], ZRTP_OFFER, "488 the server removed the video stream's m-line"],
    ['the running audio line turned into video', [zrtpAudio], ZRTP_OFFER.replace('m=audio', 'm=video'), '488 the server changed the audio stream into video'],
    ['the running audio line moved to a non-RTP profile', [zrtpAudio], ZRTP_OFFER.replace('RTP/AVP', 'UDP/TLS/ZZZ'), "488 the server changed the audio stream's profile to UDP/TLS/ZZZ"],
    ['SDES stream switched to plain RTP', [sdesAudio], MINIMAL('m=audio 6000 RTP/AVP 0\r\n'), '488 the server tried to switch an SDES stream to unencrypted RTP (audio)'],
    ['plain video added to an SDES call', [sdesAudio], MINIMAL(`m=audio 6000 RTP/SAVP 0\r\n${CRYPTO}\r\nm=video 6002 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n`), '488 the server tried to add an unencrypted video stream to an SDES call'],
  ] as const)('%s', (_name, running, reoffer, expected) => {
    expect(verdict(checkReOffer(running, sdp(reoffer), 'zrtp-required'))).toBe(expected);
  });

  it('names the offending m-line', () => {
    const d = checkReOffer([zrtpAudio, zrtpVideo], sdp(CAMERA_ON.replace(VIDEO_HASH, OTHER_HASH)), 'zrtp-required');
    expect(d).toMatchObject({ verdict: 'refuse', status: 488, index: 1 });
  });

  it('refuses a weakening re-offer whatever the user allows', () => {
    for (const policy of ['zrtp-required', 'allow-sdes', 'allow-unencrypted'] as MediaSecurityPolicy[]) {
      expect(checkReOffer([zrtpAudio], sdp(PLAIN_AUDIO_ONLY), policy).verdict).toBe('refuse');
      expect(checkReOffer([sdesAudio], sdp(MINIMAL('m=audio 6000 RTP/AVP 0\r\n')), policy).verdict).toBe('refuse');
    }
  });
});

describe('re-offers during a call: accepted when they keep or raise protection', () => {
  it.each([
    ['Linphone "camera on": audio hash unchanged, video added with its own hash', [zrtpAudio], CAMERA_ON, 'accept zrtp,zrtp'],
    ['a session refresh repeating the same offer', [zrtpAudio], ZRTP_OFFER, 'accept zrtp'],
    ['hold (a=sendonly) keeping the hash', [zrtpAudio], ZRTP_OFFER.replace('a=rtcp-fb:* trr-int', 'a=sendonly\r\na=rtcp-fb:* trr-int'), 'accept zrtp'],
    ['the same hash in upper-case hex', [zrtpAudio], ZRTP_OFFER.replace(AUDIO_HASH, AUDIO_HASH.toUpperCase()), 'accept zrtp'],
    ['video removed (port 0), audio unchanged', [zrtpAudio, zrtpVideo], CAMERA_ON.replace('m=video 17010', 'm=video 0'), 'accept zrtp,-'],
    ['ZRTP that never had a hash in SDP stays without one', [zrtpNoHash], PLAIN_AUDIO_ONLY, 'accept zrtp'],
    ['video without hash added where ZRTP runs without hashes', [zrtpNoHash], dropLines(CAMERA_ON, /^a=zrtp-hash/), 'accept zrtp,zrtp'],
    ['SDES raised to ZRTP', [sdesAudio], ZRTP_OFFER, 'accept zrtp'],
    ['SDES re-keyed', [sdesAudio], MINIMAL(`m=audio 6000 RTP/SAVP 0\r\n${CRYPTO.replace('PS1u', 'QS1u')}\r\n`), 'accept sdes'],
    ['plain raised to ZRTP', [plainAudio], ZRTP_OFFER, 'accept zrtp'],
  ] as const)('%s', (_name, running, reoffer, expected) => {
    expect(verdict(checkReOffer(running, sdp(reoffer), 'zrtp-required'))).toBe(expected);
  });

  it.each([
    ['zrtp-required', '488 the video stream offers only SDES (keys visible to servers) and this phone requires end-to-end encryption'],
    ['allow-sdes', 'accept none,sdes'],
  ] as const)('an SDES stream added to a plain call under %s', (policy, expected) => {
    const reoffer = MINIMAL(`m=audio 6000 RTP/AVP 0\r\nm=video 6002 RTP/SAVP 96\r\na=rtpmap:96 VP8/90000\r\n${CRYPTO}\r\n`);
    expect(verdict(checkReOffer([plainAudio], sdp(reoffer), policy))).toBe(expected);
  });

  it('reads the running state from a negotiation with Linphone, then accepts its camera-on re-INVITE', () => {
    const config = {
      address: '127.0.0.1',
      rtcpMux: false,
      streams: [{ kind: 'audio' as const, port: 40000, codecs: DEFAULT_AUDIO_CODECS, security: { mode: 'zrtp' as const, zrtpHash: { version: '1.10', hash: 'a'.repeat(64) } } }],
    };
    const r = answerOffer(createOfferAnswer({ sessionId: '1', address: '127.0.0.1' }), sdp(ZRTP_OFFER), config);
    if (!r.ok) throw new Error(r.error.message);
    const running = runningFromNegotiated(r.value.streams);
    expect(running).toEqual([zrtpAudio]);
    expect(verdict(checkReOffer(running, sdp(CAMERA_ON), 'zrtp-required'))).toBe('accept zrtp,zrtp');
    expect(checkReOffer(running, sdp(PLAIN_AUDIO_ONLY), 'zrtp-required').verdict).toBe('refuse');
  });
});

describe('initial offers', () => {
  it.each([
    ['Linphone ZRTP offer', 'linphone-zrtp-offer.sdp', 'zrtp-required', 'accept zrtp'],
    ['baresip plain offer: answered with ZRTP, the media path decides', 'baresip-plain-video-offer.sdp', 'zrtp-required', 'accept zrtp,zrtp'],
    ['baresip SDES offer when end-to-end is required', 'baresip-sdes-video-offer.sdp', 'zrtp-required', '488 the audio stream offers only SDES (keys visible to servers) and this phone requires end-to-end encryption'],
    ['baresip SDES offer when SDES is allowed', 'baresip-sdes-video-offer.sdp', 'allow-sdes', 'accept sdes,sdes'],
    ['Linphone SDES offer when unencrypted is allowed', 'linphone-sdes-avpf-video-offer.sdp', 'allow-unencrypted', 'accept sdes,sdes'],
  ] as const)('%s', (_name, file, policy, expected) => {
    expect(verdict(checkInitialOffer(sdp(text(file)), policy))).toBe(expected);
  });

  it.each([
    ['a malformed a=zrtp-hash', MINIMAL('m=audio 6000 RTP/AVP 0\r\na=zrtp-hash:1.10 xyz\r\n'), '488 the audio stream carries a malformed or duplicated a=zrtp-hash'],
    ['ZRTP audio with SDES video', MINIMAL(`m=audio 6000 RTP/AVP 0\r\nm=video 6002 RTP/SAVP 96\r\n${CRYPTO}\r\n`), '488 the offer mixes ZRTP and SDES streams'],
    ['a rejected line and a non-RTP line next to audio', MINIMAL('m=video 0 RTP/AVP 96\r\nm=application 9 UDP/BFCP *\r\nm=audio 6000 RTP/AVP 0\r\n'), 'accept -,-,zrtp'],
  ])('%s', (_name, offer, expected) => {
    expect(verdict(checkInitialOffer(sdp(offer), 'allow-sdes'))).toBe(expected);
  });

  it('offers ZRTP first and SDES only when allowed; labels say what protects the call', () => {
    expect(offerModes('zrtp-required')).toEqual(['zrtp']);
    expect(offerModes('allow-sdes')).toEqual(['zrtp', 'sdes']);
    expect(offerModes('allow-unencrypted')).toEqual(['zrtp', 'sdes']);
    expect(securityLabel('zrtp')).toBe('end-to-end encrypted');
    expect(securityLabel('sdes')).toBe('encrypted, not end-to-end');
    expect(securityLabel('none')).toBe('not encrypted');
  });
});
