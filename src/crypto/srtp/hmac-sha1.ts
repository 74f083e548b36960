// Portable HMAC-SHA1 (RFC 2104 over FIPS 180-4 SHA-1) for SRTP authentication (RFC 3711 §4.2.1).
// The key's inner and outer pad blocks are hashed once per session; a packet then costs only its
// own blocks plus one outer block, and nothing is allocated: the message is read in place and the
// tail goes through a fixed scratch block.
import type { HmacSha1 } from './primitives';
import { bswap32, int32View } from './word-view';

const BLOCK = 64;

/** SHA-1 compression of data[off, off + 64) into h (FIPS 180-4 §6.1.2); w is 80 words of scratch. */
export function sha1Compress(h: Int32Array, data: Uint8Array, off: number, w: Int32Array): void {
  for (let i = 0; i < 16; i++, off += 4) {
    w[i] = (data[off] << 24) | (data[off + 1] << 16) | (data[off + 2] << 8) | data[off + 3];
  }
  sha1Rounds(h, w);
}

/** The same, reading the block as 16 little-endian memory words from words[wordOff...]. */
export function sha1CompressWords(h: Int32Array, words: Int32Array, wordOff: number, w: Int32Array): void {
  for (let i = 0; i < 16; i++) w[i] = bswap32(words[wordOff + i]);
  sha1Rounds(h, w);
}

function sha1Rounds(h: Int32Array, w: Int32Array): void {
  for (let i = 16; i < 80; i++) {
    const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
    w[i] = (x << 1) | (x >>> 31);
  }
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  let e = h[4];
  let i = 0;
  for (; i < 20; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (; i < 40; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (; i < 60; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[i]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (; i < 80; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + w[i]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
}

const SHA1_IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

/** The SHA-1 state after one block of key ⊕ pad (the precomputed half of HMAC). */
export function hmacPadState(key: Uint8Array, pad: number): Int32Array {
  const block = new Uint8Array(BLOCK);
  block.set(key.length > BLOCK ? sha1(key) : key);
  for (let i = 0; i < BLOCK; i++) block[i] ^= pad;
  const h = Int32Array.from(SHA1_IV);
  sha1Compress(h, block, 0, new Int32Array(80));
  block.fill(0);
  return h;
}

/** Plain SHA-1 of a short input (keys longer than a block); not for the hot path. */
export function sha1(msg: Uint8Array): Uint8Array {
  const h = Int32Array.from(SHA1_IV);
  const w = new Int32Array(80);
  const padded = new Uint8Array(Math.ceil((msg.length + 9) / BLOCK) * BLOCK);
  padded.set(msg);
  padded[msg.length] = 0x80;
  writeBitLength(padded, padded.length - 8, msg.length);
  for (let off = 0; off < padded.length; off += BLOCK) sha1Compress(h, padded, off, w);
  const out = new Uint8Array(20);
  for (let i = 0; i < 20; i++) out[i] = h[i >>> 2] >>> (24 - 8 * (i & 3));
  return out;
}

function writeBitLength(block: Uint8Array, off: number, byteLength: number): void {
  const bits = byteLength * 8;
  const high = Math.floor(bits / 0x100000000);
  block[off] = 0;
  block[off + 1] = 0;
  block[off + 2] = high >>> 8;
  block[off + 3] = high;
  block[off + 4] = bits >>> 24;
  block[off + 5] = bits >>> 16;
  block[off + 6] = bits >>> 8;
  block[off + 7] = bits;
}

export class PortableHmacSha1 implements HmacSha1 {
  private readonly inner: Int32Array;
  private readonly outer: Int32Array;
  private readonly h = new Int32Array(5);
  private readonly w = new Int32Array(80);
  private readonly tail = new Uint8Array(2 * BLOCK);

  constructor(key: Uint8Array) {
    this.inner = hmacPadState(key, 0x36);
    this.outer = hmacPadState(key, 0x5c);
  }

  sign(data: Uint8Array, start: number, end: number, suffix: number, out: Uint8Array, outOffset: number, tagLength: number): void {
    const { h, w, tail } = this;
    h.set(this.inner);
    let off = start;
    const words = ((data.byteOffset + start) & 3) === 0 ? int32View(data) : undefined;
    if (words) {
      for (let wi = (data.byteOffset + start) >>> 2; off + BLOCK <= end; off += BLOCK, wi += 16) sha1CompressWords(h, words, wi, w);
    }
    for (; off + BLOCK <= end; off += BLOCK) sha1Compress(h, data, off, w);
    let n = end - off;
    for (let i = 0; i < n; i++) tail[i] = data[off + i];
    if (suffix >= 0) {
      tail[n] = suffix >>> 24;
      tail[n + 1] = suffix >>> 16;
      tail[n + 2] = suffix >>> 8;
      tail[n + 3] = suffix;
      n += 4;
    }
    tail[n] = 0x80;
    const tailBlocks = n + 9 > BLOCK ? 2 : 1;
    tail.fill(0, n + 1, tailBlocks * BLOCK - 8);
    writeBitLength(tail, tailBlocks * BLOCK - 8, BLOCK + end - start + (suffix >= 0 ? 4 : 0));
    sha1Compress(h, tail, 0, w);
    if (tailBlocks === 2) sha1Compress(h, tail, BLOCK, w);
    // Outer hash: one block holding the 20-byte inner digest.
    for (let i = 0; i < 20; i++) tail[i] = h[i >>> 2] >>> (24 - 8 * (i & 3));
    tail[20] = 0x80;
    tail.fill(0, 21, BLOCK - 8);
    writeBitLength(tail, BLOCK - 8, BLOCK + 20);
    h.set(this.outer);
    sha1Compress(h, tail, 0, w);
    for (let i = 0; i < tagLength; i++) out[outOffset + i] = h[i >>> 2] >>> (24 - 8 * (i & 3));
  }

  dispose(): void {
    this.inner.fill(0);
    this.outer.fill(0);
    this.h.fill(0);
    this.w.fill(0);
    this.tail.fill(0);
  }
}
