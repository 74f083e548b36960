import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeG711, type G711Law } from '../g711';
import { G711QuietDetector, g711MeanSquare } from './g711-quiet';

/** One 20 ms G.711 frame of a 300 Hz tone at `rms` plus uniform noise of `noiseRms`, seeded. */
function frame(law: G711Law, rms: number, noiseRms = 0, seed = 1): Uint8Array {
  const pcm = new Int16Array(160);
  let x = seed;
  for (let n = 0; n < 160; n++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const noise = ((x / 0x7fffffff) * 2 - 1) * noiseRms * Math.sqrt(3);
    pcm[n] = Math.round(rms * Math.SQRT2 * Math.sin((2 * Math.PI * 300 * n) / 8000) + noise);
  }
  const out = new Uint8Array(160);
  encodeG711(law, pcm, out);
  return out;
}

describe('g711MeanSquare', () => {
  it('reads a frame\'s energy from its bytes within G.711\'s quantisation', () => {
    for (const law of ['PCMU', 'PCMA'] as const) {
      expect(Math.sqrt(g711MeanSquare(law, frame(law, 4000), 0, 160))).toBeCloseTo(4000, -2);
      expect(Math.sqrt(g711MeanSquare(law, frame(law, 0), 0, 160))).toBeLessThan(10);
    }
    expect(g711MeanSquare('PCMU', new Uint8Array(4), 2, 2)).toBe(0);
  });
});

describe('G711QuietDetector', () => {
  it('calls digital silence and very low noise quiet, speech-level sound not, in both laws', () => {
    for (const law of ['PCMU', 'PCMA'] as const) {
      const d = new G711QuietDetector(law);
      expect(d.isQuiet(frame(law, 0), 0, 160)).toBe(true);
      expect(d.isQuiet(frame(law, 0, 30), 0, 160)).toBe(true);
      expect(d.isQuiet(frame(law, 3000), 0, 160)).toBe(false);
      expect(d.isQuiet(frame(law, 300), 0, 160)).toBe(false);
    }
  });

  it('in a noisy room, the pauses between words are quiet and the words are not', () => {
    const d = new G711QuietDetector('PCMU');
    const noise = 250; // about −42 dBFS of background, above the absolute floor
    const verdicts: boolean[] = [];
    for (let i = 0; i < 300; i++) {
      const talking = i % 18 < 12;
      verdicts.push(d.isQuiet(frame('PCMU', talking ? 4000 : 0, noise, i + 1), 0, 160));
    }
    // After the first word has set the speech level, every pause frame is quiet, no word frame is.
    verdicts.slice(18).forEach((quiet, k) => expect(quiet).toBe((k + 18) % 18 >= 12));
  });

  it('a soft onset above the noise is not quiet, and a continuous tone never is', () => {
    const d = new G711QuietDetector('PCMA');
    for (let i = 0; i < 20; i++) d.isQuiet(frame('PCMA', 4000, 200, i + 1), 0, 160);
    for (let i = 0; i < 20; i++) d.isQuiet(frame('PCMA', 0, 200, i + 100), 0, 160);
    expect(d.isQuiet(frame('PCMA', 900, 200, 7), 0, 160)).toBe(false);
    const tone = new G711QuietDetector('PCMU');
    for (let i = 0; i < 500; i++) expect(tone.isQuiet(frame('PCMU', 2000, 0, i + 1), 0, 160)).toBe(false);
  });

  it('never throws for arbitrary bytes and ranges', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(400), fc.nat(400), (bytes, a, b) => {
        const d = new G711QuietDetector('PCMU');
        const start = Math.min(a, b, bytes.length);
        const end = Math.min(Math.max(a, b), bytes.length);
        return typeof d.isQuiet(bytes, start, end) === 'boolean' && g711MeanSquare('PCMA', bytes, start, end) >= 0;
      }),
    );
  });
});
