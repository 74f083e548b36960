import { describe, it, expect } from 'vitest';
import { encryptAesBlock, expandAesKey } from './aes-block';
import { hex, toHex } from './test-support';

function encrypt(key: string, block: string): string {
  const b = hex(block);
  const w = (i: number) => (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
  const out = new Int32Array(4);
  encryptAesBlock(expandAesKey(hex(key)), w(0), w(4), w(8), w(12), out);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = out[i >>> 2] >>> (24 - 8 * (i & 3));
  return toHex(bytes);
}

describe('AES block (FIPS-197 Appendix C)', () => {
  it('C.1 AES-128', () => {
    expect(encrypt('000102030405060708090a0b0c0d0e0f', '00112233445566778899aabbccddeeff')).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
  });
  it('C.2 AES-192', () => {
    expect(encrypt('000102030405060708090a0b0c0d0e0f1011121314151617', '00112233445566778899aabbccddeeff')).toBe('dda97ca4864cdfe06eaf70a0ec0d7191');
  });
  it('C.3 AES-256', () => {
    expect(encrypt('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '00112233445566778899aabbccddeeff')).toBe('8ea2b7ca516745bfeafc49904b496089');
  });
});
