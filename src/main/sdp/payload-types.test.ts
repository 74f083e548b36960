// RFC 3264 §8.3.2: a re-offer keeps the session's payload-type numbers. The measured case (issue
// 20): the peer offers 101 = telephone-event/8000 and 100 = telephone-event/16000, we answer; our
// add-video re-offer must number telephone-event/8000 101 and use 100 for nothing else. And
// properties over random sessions: numbers unique, agreed ones kept, none reused for another codec.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIO_CODECS, DEFAULT_VIDEO_CODECS } from './codecs';
import type { CodecSpec } from './codecs';
import type { LocalStreamConfig } from './local-config';
import { payloadFormats } from './media-view';
import { answerOffer, createOffer, createOfferAnswer } from './offer-answer';
import { parseSdp } from './parse';
import { keepPayloadTypes } from './payload-types';
import type { MediaDescription } from './types';

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const PEER_OFFER = [
  'v=0',
  'o=peer 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 41000 RTP/AVP 0 101 100',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=rtpmap:100 telephone-event/16000',
  'a=sendrecv',
  '',
].join('\r\n');

const audio: LocalStreamConfig = { kind: 'audio', port: 40000, codecs: DEFAULT_AUDIO_CODECS, security: { mode: 'none' } };
const video: LocalStreamConfig = { kind: 'video', port: 40002, codecs: DEFAULT_VIDEO_CODECS, security: { mode: 'none' } };

describe('re-offer payload types (RFC 3264 §8.3.2)', () => {
  it('after answering 101 = telephone-event/8000, the add-video re-offer keeps 101 and never uses 100', () => {
    const offer = unwrap(parseSdp(PEER_OFFER));
    const fresh = createOfferAnswer({ sessionId: '1', address: '127.0.0.1' });
    const answered = unwrap(answerOffer(fresh, offer, { address: '127.0.0.1', rtcpMux: false, streams: [audio] }));
    const reoffer = unwrap(createOffer(answered.state, { address: '127.0.0.1', rtcpMux: false, streams: [audio, video] })).offer;
    const formats = payloadFormats(reoffer.media[0]);
    const te8000 = formats.find((f) => f.encodingName === 'telephone-event' && f.clockRate === 8000);
    expect(te8000?.payloadType).toBe(101);
    expect(formats.find((f) => f.payloadType === 100)).toBeUndefined();
    expect(new Set(reoffer.media[0].formats).size).toBe(reoffer.media[0].formats.length);
  });

  it('a first offer keeps our default numbers', () => {
    expect(keepPayloadTypes(DEFAULT_AUDIO_CODECS, undefined, undefined)).toEqual(DEFAULT_AUDIO_CODECS);
  });

  const names = ['opus', 'telephone-event', 'VP8', 'H264', 'G722', 'speex'];
  const codec = fc.record({ encodingName: fc.constantFrom(...names), clockRate: fc.constantFrom(8000, 16000, 48000, 90000), payloadType: fc.integer({ min: 96, max: 127 }) });
  const mline = (codecs: { encodingName: string; clockRate: number; payloadType: number }[]): MediaDescription => {
    const unique = codecs.filter((c, i) => codecs.findIndex((d) => d.payloadType === c.payloadType) === i);
    return {
      media: 'audio',
      port: 1,
      proto: 'RTP/AVP',
      formats: unique.map((c) => String(c.payloadType)),
      bandwidths: [],
      attributes: unique.map((c) => ({ kind: 'rtpmap' as const, payloadType: c.payloadType, encodingName: c.encodingName, clockRate: c.clockRate })),
    };
  };

  it('property: numbers unique, our agreed numbers kept, no number either side used for another codec', () => {
    fc.assert(
      fc.property(fc.array(codec, { maxLength: 8 }), fc.array(codec, { maxLength: 8 }), fc.array(codec, { maxLength: 6 }), (oursRaw, theirsRaw, wantedRaw) => {
        const ours = mline(oursRaw);
        // In a session both sides agree on a number's codec (each answer reuses the offer's).
        const theirs = mline(theirsRaw.filter((t) => !payloadFormats(ours).some((o) => o.payloadType === t.payloadType && (o.encodingName !== t.encodingName || o.clockRate !== t.clockRate))));
        const wanted: CodecSpec[] = wantedRaw
          .filter((c, i) => wantedRaw.findIndex((d) => d.encodingName === c.encodingName && d.clockRate === c.clockRate) === i)
          .map((c) => ({ kind: 'audio', ...c }));
        const got = keepPayloadTypes(wanted, ours, theirs);
        expect(new Set(got.map((c) => c.payloadType)).size).toBe(got.length);
        const same = (f: { encodingName: string; clockRate: number }, c: CodecSpec) => f.encodingName.toLowerCase() === c.encodingName.toLowerCase() && f.clockRate === c.clockRate;
        for (const c of got) {
          for (const f of [...payloadFormats(ours), ...payloadFormats(theirs)]) if (f.payloadType === c.payloadType) expect(same(f, c)).toBe(true);
        }
        for (const f of payloadFormats(ours)) {
          const c = got.find((g) => same(f, g));
          if (c && got.filter((g) => same(f, g)).length === 1 && payloadFormats(ours).filter((o) => same(o, c)).length === 1) expect(c.payloadType).toBe(f.payloadType);
        }
      }),
      { numRuns: 500 },
    );
  });
});
