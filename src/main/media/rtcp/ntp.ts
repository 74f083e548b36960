// NTP timestamps (RFC 3550 §4) from the Unix clock, and the round-trip time of §6.4.1.

/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
export const NTP_UNIX_OFFSET_SECONDS = 2208988800;

/** Integer seconds part of the NTP timestamp of `unixMs` (era 0, wraps in 2036 as NTP does). */
export function ntpSeconds(unixMs: number): number {
  return (Math.floor(unixMs / 1000) + NTP_UNIX_OFFSET_SECONDS) >>> 0;
}

/** Fraction part of the NTP timestamp of `unixMs`, in units of 2^-32 s. */
export function ntpFraction(unixMs: number): number {
  const ms = unixMs - Math.floor(unixMs / 1000) * 1000;
  return Math.floor((ms / 1000) * 0x100000000) >>> 0;
}

/** Middle 32 bits of the NTP timestamp (16.16 fixed point), as LSR and arrival times use. */
export function ntpMiddle32(unixMs: number): number {
  return (((ntpSeconds(unixMs) & 0xffff) << 16) | (ntpFraction(unixMs) >>> 16)) >>> 0;
}

/** The same middle 32 bits taken from a full NTP timestamp's two words. */
export function ntpMiddle32FromParts(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

/**
 * Round-trip time from a report block (RFC 3550 §6.4.1: A - LSR - DLSR, modulo 2^32) in its
 * 16.16 fixed-point units (1/65536 s); -1 when the block carries no LSR (no SR received by the
 * peer yet) or the result is negative (clock skew or a forged block). A small integer, so the
 * media worker never boxes it; arguments unsigned or as `x | 0`.
 */
export function roundTripTimeUnits(arrivalNtpMiddle32: number, lastSenderReport: number, delaySinceLastSenderReport: number): number {
  if (lastSenderReport === 0) return -1;
  const rtt = (arrivalNtpMiddle32 - lastSenderReport - delaySinceLastSenderReport) >>> 0;
  // A result above 2^31 is a negative difference wrapped around.
  return rtt >= 0x80000000 ? -1 : rtt;
}
