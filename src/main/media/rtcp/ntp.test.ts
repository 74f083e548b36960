import { describe, it, expect } from 'vitest';
import { ntpFraction, ntpMiddle32, ntpMiddle32FromParts, ntpSeconds, roundTripTimeUnits } from './ntp';

describe('NTP timestamps and RTT (RFC 3550 §4, §6.4.1)', () => {
  it('maps the Unix epoch to NTP second 2208988800', () => {
    expect(ntpSeconds(0)).toBe(2208988800);
    expect(ntpFraction(0)).toBe(0);
    expect(ntpFraction(500)).toBe(0x80000000);
    expect(ntpFraction(250)).toBe(0x40000000);
  });

  it('takes the middle 32 bits the same way from a clock and from SR words', () => {
    const ms = 1_764_000_000_123;
    expect(ntpMiddle32(ms)).toBe(ntpMiddle32FromParts(ntpSeconds(ms), ntpFraction(ms)));
  });

  it('computes RTT = A - LSR - DLSR with the §6.4.1 example values', () => {
    // §6.4.1 figure: A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s),
    // DLSR = 0x0005:4000 (5.250 s): RTT = 6.125 s.
    expect(roundTripTimeUnits(0xb7108000, 0xb7052000, 0x00054000) / 65536).toBe(6.125);
  });

  it('handles the 16-bit seconds wrap and refuses a missing LSR or a negative result', () => {
    expect(roundTripTimeUnits(0x00000100, 0xffffff00, 0)).toBe(512);
    expect(roundTripTimeUnits(0x12345678, 0, 0)).toBe(-1);
    expect(roundTripTimeUnits(0x00010000, 0x00010000, 0x00000001)).toBe(-1);
  });
});
