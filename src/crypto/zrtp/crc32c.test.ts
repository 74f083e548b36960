import { describe, it, expect } from 'vitest';
import { crc32c } from './crc32c';
import { ascii } from './bytes';

describe('crc32c', () => {
  // RFC 3720 §B.4 CRC examples (iSCSI uses the same CRC-32C as ZRTP): 32 bytes of zeros,
  // of 0xFF, and an incrementing sequence. The RFC prints the CRC bytes as they are sent,
  // least significant byte first, so the values below are the byte-swapped integers.
  it('matches RFC 3720 §B.4 vectors', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('matches the standard check value for "123456789"', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
  });
});
