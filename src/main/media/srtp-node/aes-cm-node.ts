// AES-CM keystream (RFC 3711 §4.1.1) on node:crypto. The cost of node:crypto is per call, not per
// byte (ARCHITECTURE.md "SRTP speed"), so one long-lived AES-ECB cipher per session encrypts the
// counter blocks of several packets in one call: the packets most likely to come next on the
// stream (same SSRC, index + 1, + 2, ...). A packet outside that guess refills the cache; the
// batch shrinks when guesses miss and grows back while they hit. The one Buffer that
// `update()` returns per refill is all a packet costs on the heap (issue 23): the packet goes
// through a PacketScratch, the counter blocks through a view kept per length.
import { createCipheriv, type Cipher } from 'node:crypto';
import { bswap32, indexWord2, indexWord3, saltWords, type AesCmCipher } from '../../../crypto/srtp';
import { PacketScratch } from './packet-scratch';

const MAX_BATCH = 64;
/** Keystream per refill at most (32 KiB): 64 audio packets, about 20 of video. */
const MAX_BATCH_BYTES = 32 * 1024;
/** Packets above this many blocks (2 KiB) get keystream of their own, outside the batch layout. */
const MAX_SLOT_BLOCKS = 128;

export class NodeAesCm implements AesCmCipher {
  private readonly ecb: Cipher;
  private readonly salt: [number, number, number, number];
  /** Keystream for the cached packets, as little-endian memory words. */
  private keystreamWords = new Int32Array(0);
  private keystreamBytes = new Uint8Array(0);
  private counterWords = new Int32Array(0);
  /** counterViews[blocks]: the first `blocks` counter blocks, as `update()` needs them. */
  private counterViews: (Uint8Array | undefined)[] = [];
  private readonly scratch = new PacketScratch(0, 4, 0);
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
    const scratch = this.scratch;
    const at = scratch.load(data, start, end);
    const sw = scratch.words;
    const kw = this.keystreamWords;
    // Whole words: the XOR may run up to 3 bytes past `end` in the scratch, never in the packet.
    const words = (end - start + 3) >>> 2;
    for (let i = 0, si = at >>> 2, ki = k * this.slotBlocks * 4; i < words; i++, si++, ki++) sw[si] ^= kw[ki];
    scratch.store(data, start, end);
  }

  private refill(ssrc: number, index: number, blocks: number): void {
    // Adapt the batch to how well the last guess worked.
    if (this.cachedCount > 0) {
      this.batch = this.hitsSinceRefill + 1 >= this.cachedCount ? Math.min(MAX_BATCH, this.batch * 2) : Math.max(1, this.batch >>> 1);
    }
    this.hitsSinceRefill = 0;
    let count = 1;
    if (blocks > MAX_SLOT_BLOCKS) {
      // A rare jumbo packet: keystream for it alone, so later batches stay small.
      this.slotBlocks = blocks;
    } else {
      this.ordinarySlotBlocks = Math.max(this.ordinarySlotBlocks, blocks);
      this.slotBlocks = this.ordinarySlotBlocks;
      count = Math.max(1, Math.min(this.batch, (MAX_BATCH_BYTES / (16 * this.slotBlocks)) | 0));
    }
    const bytes = count * this.slotBlocks * 16;
    if (this.counterWords.length < bytes >>> 2) {
      this.counterWords = new Int32Array(bytes >>> 2);
      this.counterViews = [];
      this.keystreamWords = new Int32Array(bytes >>> 2);
      this.keystreamBytes = new Uint8Array(this.keystreamWords.buffer);
    }
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
    const ks = this.ecb.update(this.counterView(bytes >>> 4));
    // Copied into an aligned buffer of our own so it can be read as words.
    this.keystreamBytes.set(ks);
    ks.fill(0);
    this.cachedSsrc = ssrc;
    this.cachedFirst = index;
    this.cachedCount = count;
  }

  private counterView(blocks: number): Uint8Array {
    let v = this.counterViews[blocks];
    if (v === undefined) {
      v = new Uint8Array(this.counterWords.buffer, 0, blocks * 16);
      if (blocks <= MAX_BATCH_BYTES >>> 4) this.counterViews[blocks] = v;
    }
    return v;
  }

  dispose(): void {
    this.ecb.final();
    this.keystreamWords.fill(0);
    this.counterWords.fill(0);
    this.scratch.dispose();
    this.salt.fill(0);
    this.cachedCount = 0;
  }
}
