import { describe, it, expect } from 'vitest';
import { microsToRtp, rtpToMicros, unwrapRtp } from './rtp-clock';

describe('RTP clock', () => {
  it('converts WebCodecs microseconds to 48 kHz and 90 kHz RTP timestamps', () => {
    expect(microsToRtp(20_000, 48_000)).toBe(960);
    expect(microsToRtp(33_333, 90_000)).toBe(3000);
    expect(microsToRtp(((2 ** 32 + 10) * 1e6) / 90_000, 90_000)).toBe(10);
  });

  it('unwraps across the 2^32 wrap in both directions', () => {
    const a = unwrapRtp(4294967000, null);
    const b = unwrapRtp(200, a);
    expect(b - a).toBe(496);
    expect(unwrapRtp(4294967000, b)).toBe(a);
  });

  it('maps unwrapped timestamps back to microseconds', () => {
    expect(rtpToMicros(90_000, 90_000)).toBe(1_000_000);
    expect(rtpToMicros(960, 48_000)).toBe(20_000);
  });
});
