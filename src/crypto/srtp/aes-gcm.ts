// Portable AES-GCM (NIST SP 800-38D) for the AEAD suites (RFC 7714), 96-bit IVs and 16-byte tags
// only. GHASH uses 4-bit tables (Shoup's method) built once per key; state lives in int32 locals
// and fixed scratch arrays, so a packet allocates nothing (scratch grows only for a larger AAD).
import { encryptAesBlock, expandAesKey } from './aes-block';
import type { AesGcmCipher } from './primitives';

export const GCM_TAG_LENGTH = 16;

/** Reduction constants for shifting 4 bits out of the low end (the 0xE1 polynomial, 4-bit steps). */
const REM_4BIT = [0x0000, 0x1c20, 0x3840, 0x2460, 0x7080, 0x6ca0, 0x48c0, 0x54e0, 0xe100, 0xfd20, 0xd940, 0xc560, 0x9180, 0x8da0, 0xa9c0, 0xb5e0].map((r) => r << 16);

function readWord(b: Uint8Array, off: number): number {
  return (b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3];
}

export class PortableAesGcm implements AesGcmCipher {
  private readonly roundKeys: Int32Array;
  /** table[4 * i + k]: word k of i·H, for every 4-bit i. */
  private readonly table = new Int32Array(64);
  /** The running GHASH value Y as four big-endian word values. */
  private readonly y = new Int32Array(4);
  private readonly block = new Int32Array(4);
  private readonly pad = new Uint8Array(16);
  private aad = new Uint8Array(64);

  constructor(sessionKey: Uint8Array) {
    this.roundKeys = expandAesKey(sessionKey);
    const h = new Int32Array(4);
    encryptAesBlock(this.roundKeys, 0, 0, 0, 0, h);
    const t = this.table;
    // table[8] = H; table[4], [2], [1] = H·x, H·x^2, H·x^3 (a right shift in GCM's bit order).
    t.set(h, 32);
    for (let i = 4; i >= 1; i >>= 1) {
      const src = 8 * i;
      const carry = t[src + 3] & 1;
      t[4 * i] = (t[src] >>> 1) ^ (carry ? 0xe1000000 : 0);
      t[4 * i + 1] = (t[src + 1] >>> 1) | (t[src] << 31);
      t[4 * i + 2] = (t[src + 2] >>> 1) | (t[src + 1] << 31);
      t[4 * i + 3] = (t[src + 3] >>> 1) | (t[src + 2] << 31);
    }
    for (const i of [3, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15]) {
      const hi = i & 8 ? 8 : i & 4 ? 4 : i & 2 ? 2 : 1;
      const lo = i ^ hi;
      for (let k = 0; k < 4; k++) t[4 * i + k] = t[4 * hi + k] ^ t[4 * lo + k];
    }
    h.fill(0);
  }

  /** Y = (Y ⊕ X)·H with X = (x0..x3). */
  private ghashBlock(x0: number, x1: number, x2: number, x3: number): void {
    const y = this.y;
    const t = this.table;
    const w0 = y[0] ^ x0;
    const w1 = y[1] ^ x1;
    const w2 = y[2] ^ x2;
    const w3 = y[3] ^ x3;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    // Nibbles from the last (least significant in GCM's order) to the first.
    for (let n = 31; n >= 0; n--) {
      const word = n < 8 ? w0 : n < 16 ? w1 : n < 24 ? w2 : w3;
      const nibble = (word >>> (4 * (7 - (n & 7)))) & 0xf;
      if (n !== 31) {
        const rem = z3 & 0xf;
        z3 = (z3 >>> 4) | (z2 << 28);
        z2 = (z2 >>> 4) | (z1 << 28);
        z1 = (z1 >>> 4) | (z0 << 28);
        z0 = (z0 >>> 4) ^ REM_4BIT[rem];
      }
      const m = 4 * nibble;
      z0 ^= t[m];
      z1 ^= t[m + 1];
      z2 ^= t[m + 2];
      z3 ^= t[m + 3];
    }
    y[0] = z0;
    y[1] = z1;
    y[2] = z2;
    y[3] = z3;
  }

  /** GHASH over data[start, end), zero-padding the last block. */
  private ghashBytes(data: Uint8Array, start: number, end: number): void {
    let off = start;
    for (; off + 16 <= end; off += 16) this.ghashBlock(readWord(data, off), readWord(data, off + 4), readWord(data, off + 8), readWord(data, off + 12));
    if (off < end) {
      const pad = this.pad;
      pad.fill(0);
      for (let i = 0; off + i < end; i++) pad[i] = data[off + i];
      this.ghashBlock(readWord(pad, 0), readWord(pad, 4), readWord(pad, 8), readWord(pad, 12));
    }
  }

  /**
   * GHASH of the AAD (data[aadStart, aadEnd) then, for SRTCP, the E + index word); returns its
   * length. The word comes as a signed 32-bit pattern with a separate flag: with the E bit set
   * it is 2^31 or more unsigned, a number V8 would box on every call it did not inline.
   */
  private ghashAad(data: Uint8Array, aadStart: number, aadEnd: number, aadSuffix: number, hasSuffix: boolean): number {
    const n = aadEnd - aadStart;
    if (!hasSuffix) {
      this.ghashBytes(data, aadStart, aadEnd);
      return n;
    }
    if (this.aad.length < n + 4) this.aad = new Uint8Array(n + 4);
    const a = this.aad;
    for (let i = 0; i < n; i++) a[i] = data[aadStart + i];
    a[n] = aadSuffix >>> 24;
    a[n + 1] = aadSuffix >>> 16;
    a[n + 2] = aadSuffix >>> 8;
    a[n + 3] = aadSuffix;
    this.ghashBytes(a, 0, n + 4);
    return n + 4;
  }

  /** XORs the GCTR keystream starting at counter 2 (J0 = IV || 1, RFC 7714 §8.1) into data. */
  private gctr(iv: Uint8Array, data: Uint8Array, start: number, end: number): void {
    const i0 = readWord(iv, 0);
    const i1 = readWord(iv, 4);
    const i2 = readWord(iv, 8);
    const out = this.block;
    for (let pos = start, counter = 2; pos < end; pos += 16, counter++) {
      encryptAesBlock(this.roundKeys, i0, i1, i2, counter, out);
      const n = end - pos < 16 ? end - pos : 16;
      for (let i = 0; i < n; i++) data[pos + i] ^= out[i >>> 2] >>> (24 - 8 * (i & 3));
    }
  }

  /** Finishes GHASH with the length block and masks it with E(K, J0) into this.y. */
  private finish(iv: Uint8Array, aadLength: number, textLength: number): void {
    const aadBits = aadLength * 8;
    const textBits = textLength * 8;
    this.ghashBlock(Math.floor(aadBits / 0x100000000) | 0, aadBits | 0, Math.floor(textBits / 0x100000000) | 0, textBits | 0);
    const out = this.block;
    encryptAesBlock(this.roundKeys, readWord(iv, 0), readWord(iv, 4), readWord(iv, 8), 1, out);
    const y = this.y;
    for (let k = 0; k < 4; k++) y[k] ^= out[k];
  }

  seal(iv: Uint8Array, data: Uint8Array, aadStart: number, ptStart: number, ptEnd: number, aadSuffix: number, hasSuffix: boolean): void {
    this.y.fill(0);
    const aadLength = this.ghashAad(data, aadStart, ptStart, aadSuffix, hasSuffix);
    this.gctr(iv, data, ptStart, ptEnd);
    this.ghashBytes(data, ptStart, ptEnd);
    this.finish(iv, aadLength, ptEnd - ptStart);
    const y = this.y;
    for (let i = 0; i < 16; i++) data[ptEnd + i] = y[i >>> 2] >>> (24 - 8 * (i & 3));
  }

  open(iv: Uint8Array, data: Uint8Array, aadStart: number, ctStart: number, ctEnd: number, aadSuffix: number, hasSuffix: boolean): boolean {
    this.y.fill(0);
    const aadLength = this.ghashAad(data, aadStart, ctStart, aadSuffix, hasSuffix);
    this.ghashBytes(data, ctStart, ctEnd);
    this.finish(iv, aadLength, ctEnd - ctStart);
    const y = this.y;
    let diff = 0;
    for (let i = 0; i < 16; i++) diff |= data[ctEnd + i] ^ ((y[i >>> 2] >>> (24 - 8 * (i & 3))) & 0xff);
    if (diff !== 0) return false;
    this.gctr(iv, data, ctStart, ctEnd);
    return true;
  }

  dispose(): void {
    this.roundKeys.fill(0);
    this.table.fill(0);
    this.y.fill(0);
    this.block.fill(0);
    this.pad.fill(0);
    this.aad.fill(0);
  }
}
