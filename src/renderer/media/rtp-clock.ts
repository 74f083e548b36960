// RTP timestamps (RFC 3550 §5.1: the codec's clock, wrapping at 2^32) from WebCodecs
// microseconds and back: 48 kHz for Opus, 90 kHz for VP8 (RFC 7587 §4.1, RFC 7741 §4.1).
export function microsToRtp(micros: number, clockRate: number): number {
  return Math.round((micros * clockRate) / 1e6) % 2 ** 32 >>> 0;
}

/** Unwraps a 32-bit RTP timestamp against the previous unwrapped value, so decoder timestamps keep rising. */
export function unwrapRtp(timestamp: number, previous: number | null): number {
  if (previous === null) return timestamp >>> 0;
  const prevLow = previous % 2 ** 32;
  let delta = (timestamp >>> 0) - prevLow;
  if (delta > 2 ** 31) delta -= 2 ** 32;
  else if (delta < -(2 ** 31)) delta += 2 ** 32;
  return previous + delta;
}

export function rtpToMicros(unwrapped: number, clockRate: number): number {
  return Math.round((unwrapped * 1e6) / clockRate);
}
