// The security policy under fast-check: whatever a server does to Linphone's "camera on" re-INVITE,
// the policy never throws and never accepts an offer that changes or drops a running hash.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { parseSdp, sameZrtpHash, zrtpHashes } from '../sdp';
import { checkReOffer, type RunningStream } from './security-policy';

const base = readFileSync(join(import.meta.dirname, '../sdp/fixtures/linphone-zrtp-camera-on-reoffer.sdp'), 'utf8').split('\r\n');
const AUDIO = { version: '1.10', hash: '1b5da1894f424da9d6441d1f8d81ad9ad45665226c46f3362b4a5bd415678cf7' };
const running: RunningStream[] = [{ index: 0, kind: 'audio', security: { mode: 'zrtp', zrtpHash: AUDIO } }];

const edit = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    line: fc.constantFrom(
      'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
      `a=zrtp-hash:1.10 ${'0'.repeat(64)}`,
      'a=zrtp-hash:1.10 0',
      'm=audio 7000 RTP/AVP 0',
      'm=audio 7000 RTP/SAVP 0',
      'a=sendonly',
    ),
  }),
  fc.record({ op: fc.constant('replace' as const), from: fc.constantFrom('RTP/AVP', '1.10', '1b5d', 'm=audio', '17000'), to: fc.constantFrom('RTP/SAVP', '1.11', '2b5d', 'm=video', '0') }),
);

describe('security policy under fast-check', () => {
  it('never accepts a re-offer whose audio line lost, changed or SDES-wrapped the running hash', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), fc.constantFrom('zrtp-required', 'allow-sdes', 'allow-unencrypted' as const), (edits, policy) => {
        let lines = [...base];
        for (const e of edits) {
          if (e.op === 'replace') {
            lines = lines.join('\r\n').replace(e.from, e.to).split('\r\n');
            continue;
          }
          const at = e.at % lines.length;
          if (e.op === 'drop' && at > 0) lines.splice(at, 1);
          else if (e.op === 'swap' && at > 0) {
            const j = Math.max(1, e.with % lines.length);
            [lines[at], lines[j]] = [lines[j], lines[at]];
          } else if (e.op === 'insert') lines.splice(Math.max(at, 1), 0, e.line);
        }
        const parsed = parseSdp(lines.join('\r\n'));
        if (!parsed.ok) return;
        const offer = parsed.value;
        const d = checkReOffer(running, offer, policy);
        if (d.verdict !== 'accept') {
          expect(d.status).toBe(488);
          return;
        }
        const audio = offer.media[0];
        if (audio.port === 0) return;
        // Accepted and the audio stream lives on: it must still be ZRTP with the same hash.
        expect(['RTP/AVP', 'RTP/AVPF']).toContain(audio.proto);
        expect(audio.attributes.some((a) => a.kind === 'crypto' || (a.kind === 'malformed' && a.name === 'crypto'))).toBe(false);
        const hashes = zrtpHashes(offer, audio);
        expect(hashes.length).toBeGreaterThan(0);
        expect(hashes.every((h) => sameZrtpHash(h, AUDIO))).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });
});
