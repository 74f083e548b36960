// Offer/answer under fast-check: hostile offers (mutated captures) never make answering throw,
// and every SDP we produce parses back to itself.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { DEFAULT_AUDIO_CODECS, DEFAULT_VIDEO_CODECS } from './codecs';
import type { LocalMediaConfig, LocalStreamSecurity } from './local-config';
import { answerOffer, createOfferAnswer, processAnswer, createOffer } from './offer-answer';
import { parseSdp } from './parse';
import { serializeSdp } from './serialize';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const corpus = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.sdp'))
  .map((f) => readFileSync(join(FIXTURES, f), 'utf8').split('\r\n'));

const securities: LocalStreamSecurity[] = [
  { mode: 'zrtp', zrtpHash: { version: '1.10', hash: 'ab'.repeat(32) } },
  { mode: 'sdes', keys: [{ suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: new Uint8Array(16).fill(1), masterSalt: new Uint8Array(14).fill(2) }] },
  { mode: 'none' },
];
const configFor = (security: LocalStreamSecurity, rtcpMux: boolean): LocalMediaConfig => ({
  address: '127.0.0.1',
  rtcpMux,
  streams: [
    { kind: 'audio', port: 40000, codecs: DEFAULT_AUDIO_CODECS, security },
    { kind: 'video', port: 40002, codecs: DEFAULT_VIDEO_CODECS, security },
  ],
});

const lineEdit = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    line: fc.constantFrom(
      'a=rtpmap:96 VP8/90000',
      'a=rtpmap:0 opus/48000/2',
      'a=rtpmap:127 telephone-event/48000',
      'a=fmtp:96',
      'a=rtcp-mux',
      'a=rtcp:9 IN IP6 ::1',
      'a=inactive',
      'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
      'a=crypto:2 AES_256_CM_HMAC_SHA1_80 inline:AAAA',
      'a=zrtp-hash:1.10 zz',
      'm=video 0 RTP/AVP 96',
      'm=audio 1 RTP/SAVPF 0 8 96',
      'm=video 5 TCP/RTP/AVP 96',
      'c=IN IP6 ::1',
    ),
  }),
);

describe('answering mutated real offers', () => {
  it('never throws, keeps the m-line count, and produces SDP that parses back to itself', () => {
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(lineEdit, { maxLength: 5 }), fc.constantFrom(...securities), fc.boolean(), (base, edits, security, mux) => {
        const lines = [...base];
        for (const e of edits) {
          const at = e.at % lines.length;
          if (e.op === 'drop' && at > 0) lines.splice(at, 1);
          else if (e.op === 'dup') lines.splice(at, 0, lines[at]);
          else if (e.op === 'insert') lines.splice(Math.max(at, 1), 0, e.line);
        }
        const parsed = parseSdp(lines.join('\r\n'));
        if (!parsed.ok) return;
        const r = answerOffer(createOfferAnswer({ sessionId: '1', address: '127.0.0.1' }), parsed.value, configFor(security, mux));
        if (!r.ok) {
          expect([488, 491]).toContain(r.error.status);
          return;
        }
        expect(r.value.answer.media.length).toBe(parsed.value.media.length);
        const text = serializeSdp(r.value.answer);
        const again = parseSdp(text);
        expect(again.ok).toBe(true);
        if (again.ok) expect(again.value).toEqual(r.value.answer);
        // What we answer, the offerer must be able to apply.
        const offerer = createOffer(createOfferAnswer({ sessionId: '2', address: '127.0.0.1' }), configFor(security, mux));
        expect(offerer.ok).toBe(true);
        if (offerer.ok) expect(() => processAnswer(offerer.value.state, r.value.answer)).not.toThrow();
      }),
      { numRuns: 800 },
    );
  });
});
