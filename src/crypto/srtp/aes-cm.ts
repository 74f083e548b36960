// Portable AES-CM keystream (RFC 3711 §4.1.1) over the table AES in aes-block.ts. No allocation
// per packet: the IV lives in int32 locals and each keystream block in one reused Int32Array.
import { encryptAesBlock, expandAesKey } from './aes-block';
import type { AesCmCipher } from './primitives';
import { bswap32, int32View } from './word-view';

/** The IV words before SSRC and index are mixed in: k_s·2^16 as four big-endian word values. */
export function saltWords(sessionSalt: Uint8Array): [number, number, number, number] {
  const b = new Uint8Array(16);
  b.set(sessionSalt.subarray(0, 14));
  const w = (i: number) => (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
  return [w(0), w(4), w(8), w(12)];
}

/**
 * IV word 2 and 3 for packet `index` (up to 48 bits): index·2^16 puts bits 47..16 in word 2 and
 * bits 15..0 in the high half of word 3.
 */
export function indexWord2(index: number): number {
  return ((Math.floor(index / 0x100000000) & 0xffff) << 16) | ((index >>> 16) & 0xffff);
}

export function indexWord3(index: number): number {
  return (index & 0xffff) << 16;
}

export class PortableAesCm implements AesCmCipher {
  private readonly roundKeys: Int32Array;
  private readonly salt: [number, number, number, number];
  private readonly block = new Int32Array(4);

  constructor(sessionKey: Uint8Array, sessionSalt: Uint8Array) {
    this.roundKeys = expandAesKey(sessionKey);
    this.salt = saltWords(sessionSalt);
  }

  xorKeystream(ssrc: number, index: number, data: Uint8Array, start: number, end: number): void {
    const rk = this.roundKeys;
    const out = this.block;
    const w0 = this.salt[0];
    const w1 = this.salt[1] ^ ssrc;
    const w2 = this.salt[2] ^ indexWord2(index);
    const w3 = this.salt[3] ^ indexWord3(index);
    let pos = start;
    let counter = 0;
    const words = ((data.byteOffset + start) & 3) === 0 ? int32View(data) : undefined;
    if (words) {
      let wi = (data.byteOffset + start) >>> 2;
      for (; pos + 16 <= end; pos += 16, wi += 4, counter++) {
        encryptAesBlock(rk, w0, w1, w2, w3 | counter, out);
        words[wi] ^= bswap32(out[0]);
        words[wi + 1] ^= bswap32(out[1]);
        words[wi + 2] ^= bswap32(out[2]);
        words[wi + 3] ^= bswap32(out[3]);
      }
    }
    for (; pos < end; counter++) {
      encryptAesBlock(rk, w0, w1, w2, w3 | counter, out);
      const n = end - pos < 16 ? end - pos : 16;
      for (let i = 0; i < n; i++) data[pos + i] ^= out[i >>> 2] >>> (24 - 8 * (i & 3));
      pos += 16;
    }
  }

  dispose(): void {
    this.roundKeys.fill(0);
    this.salt.fill(0);
    this.block.fill(0);
  }
}
