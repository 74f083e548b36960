// AES-CM keystream (RFC 3711 §4.1.1) on node:crypto. The cost of node:crypto is per call, not per
// byte (ARCHITECTURE.md "SRTP speed"), so one long-lived AES-ECB cipher per session encrypts the
// counter blocks of several packets in one call: the packets most likely to come next on the
// stream (same SSRC, index + 1, + 2, ...). A packet outside that guess refills the cache; the
// batch shrinks when guesses miss and grows back while they hit.
import { createCipheriv, type Cipher } from 'node:crypto';
import { bswap32, indexWord2, indexWord3, saltWords, type AesCmCipher } from '../../../crypto/srtp';

const MAX_BATCH = 16;
/** Packets above this many blocks (2 KiB) get keystream of their own, outside the batch layout. */
const MAX_SLOT_BLOCKS = 128;

export class NodeAesCm implements AesCmCipher {
  private readonly ecb: Cipher;
  private readonly salt: [number, number, number, number];
  /** Keystream for the cached packets, as little-endian memory words. */
  private keystreamWords = new Int32Array(0);
  private counterWords = new Int32Array(0);
  private scratch = Buffer.alloc(0);
  private scratchWords = new Int32Array(0);
  private cachedSsrc = -1;
  private cachedFirst = -1;
  private cachedCount = 0;
  /** Blocks reserved per packet in the cache: the largest (ordinary) packet seen so far. */
  private slotBlocks = 0;
  private ordinarySlotBlocks = 0;
  private batch = 4;
  private hitsSinceRefill = 0;

  constructor(sessionKey: Uint8Array, sessionSalt: Uint8Array) {
    this.ecb = createCipheriv(`aes-${sessionKey.length * 8}-ecb`, sessionKey, null);
    this.ecb.setAutoPadding(false);
    this.salt = saltWords(sessionSalt);
  }

  xorKeystream(ssrc: number, index: number, data: Uint8Array, start: number, end: number): void {
    const blocks = (end - start + 15) >>> 4;
    let k = index - this.cachedFirst;
    if (ssrc !== this.cachedSsrc || k < 0 || k >= this.cachedCount || blocks > this.slotBlocks) {
      this.refill(ssrc, index, blocks);
      k = 0;
    } else {
      this.hitsSinceRefill++;
    }
    const off = k * this.slotBlocks * 16;
    const n = end - start;
    const kw = this.keystreamWords;
    // Element access on a resizable buffer's view is slow on Node 20; a native copy into a plain
    // scratch buffer, word XOR there and a native copy back is several times faster.
    if (this.scratch.length < n + 4) {
      this.scratch = Buffer.alloc(n + 4);
      this.scratchWords = new Int32Array(this.scratch.buffer, this.scratch.byteOffset, this.scratch.length >>> 2);
    }
    const scratch = this.scratch;
    const sw = this.scratchWords;
    scratch.set(data.subarray(start, end));
    const words = (n + 3) >>> 2;
    for (let i = 0, ki = off >>> 2; i < words; i++, ki++) sw[i] ^= kw[ki];
    data.set(scratch.subarray(0, n), start);
  }

  private refill(ssrc: number, index: number, blocks: number): void {
    // Adapt the batch to how well the last guess worked.
    if (this.cachedCount > 0) {
      this.batch = this.hitsSinceRefill + 1 >= this.cachedCount ? Math.min(MAX_BATCH, this.batch * 2) : Math.max(1, this.batch >>> 1);
    }
    this.hitsSinceRefill = 0;
    let count = this.batch;
    if (blocks > MAX_SLOT_BLOCKS) {
      // A rare jumbo packet: keystream for it alone, so later batches stay small.
      this.slotBlocks = blocks;
      count = 1;
    } else {
      this.ordinarySlotBlocks = Math.max(this.ordinarySlotBlocks, blocks);
      this.slotBlocks = this.ordinarySlotBlocks;
    }
    const bytes = count * this.slotBlocks * 16;
    if (this.counterWords.length < bytes >>> 2) this.counterWords = new Int32Array(bytes >>> 2);
    // Counter blocks are built as little-endian memory words (this adapter runs on x86/ARM).
    const cw = this.counterWords;
    const [s0, s1, s2, s3] = this.salt;
    const m0 = bswap32(s0);
    const m1 = bswap32(s1 ^ ssrc);
    let w = 0;
    for (let p = 0; p < count; p++) {
      const m2 = bswap32(s2 ^ indexWord2(index + p));
      const w3 = s3 ^ indexWord3(index + p);
      for (let j = 0; j < this.slotBlocks; j++, w += 4) {
        cw[w] = m0;
        cw[w + 1] = m1;
        cw[w + 2] = m2;
        cw[w + 3] = bswap32(w3 | j);
      }
    }
    const ks = this.ecb.update(new Uint8Array(cw.buffer, 0, bytes));
    // Copied into an aligned buffer of our own so it can be read as words.
    if (this.keystreamWords.length < bytes >>> 2) this.keystreamWords = new Int32Array(bytes >>> 2);
    new Uint8Array(this.keystreamWords.buffer, 0, bytes).set(ks);
    ks.fill(0);
    this.cachedSsrc = ssrc;
    this.cachedFirst = index;
    this.cachedCount = count;
  }

  dispose(): void {
    this.ecb.final();
    this.keystreamWords.fill(0);
    this.counterWords.fill(0);
    this.scratch.fill(0);
    this.salt.fill(0);
    this.cachedCount = 0;
  }
}
