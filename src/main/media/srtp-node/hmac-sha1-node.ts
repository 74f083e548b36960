// HMAC-SHA1 (RFC 2104) on node:crypto: one native call per packet. The message is laid out after
// the key's inner pad block in a session scratch buffer and hashed with one `crypto.hash`; the
// outer hash is a single SHA-1 block from the precomputed outer pad state, done in TypeScript
// (cheaper than a second native call). The packet reaches the scratch through PacketScratch and
// the inner digest comes back as a 20-character latin1 string, not a Buffer: 88 bytes of heap per
// packet instead of 256, and nothing else (issue 23). `Hash.copy()` of a pad-primed hash was
// measured too: a Hash object and a Buffer per packet, 424 bytes.
import { hash } from 'node:crypto';
import { hmacPadState, sha1Compress, type HmacSha1 } from '../../../crypto/srtp';
import { PacketScratch } from './packet-scratch';

const BLOCK = 64;

export class NodeHmacSha1 implements HmacSha1 {
  /** The inner pad block at [at - 64, at), the message from `at`, then the ROC. */
  private readonly scratch = new PacketScratch(BLOCK, 4, -BLOCK);
  private readonly ipadBlock = Buffer.alloc(BLOCK);
  private readonly outer: Int32Array;
  private readonly h = new Int32Array(5);
  private readonly w = new Int32Array(80);
  private readonly outerBlock = new Uint8Array(BLOCK);

  constructor(key: Uint8Array) {
    if (key.length > BLOCK) throw new RangeError('HMAC-SHA1 keys longer than 64 bytes are not used by SRTP');
    this.ipadBlock.set(key);
    for (let i = 0; i < BLOCK; i++) this.ipadBlock[i] ^= 0x36;
    this.outer = hmacPadState(key, 0x5c);
    // Outer block padding is fixed: 20-byte digest, 0x80, zeros, length (64 + 20) * 8 bits.
    this.outerBlock[20] = 0x80;
    this.outerBlock[62] = ((BLOCK + 20) * 8) >>> 8;
    this.outerBlock[63] = ((BLOCK + 20) * 8) & 0xff;
  }

  sign(data: Uint8Array, start: number, end: number, suffix: number, out: Uint8Array, outOffset: number, tagLength: number): void {
    const n = end - start;
    const scratch = this.scratch;
    const at = scratch.load(data, start, end);
    const s = scratch.bytes;
    s.set(this.ipadBlock, at - BLOCK);
    let total = BLOCK + n;
    if (suffix >= 0) {
      s[at + n] = suffix >>> 24;
      s[at + n + 1] = suffix >>> 16;
      s[at + n + 2] = suffix >>> 8;
      s[at + n + 3] = suffix;
      total += 4;
    }
    // 'binary' is latin1: one character per digest byte.
    const inner = hash('sha1', scratch.view(total), 'binary');
    const ob = this.outerBlock;
    for (let i = 0; i < 20; i++) ob[i] = inner.charCodeAt(i);
    const h = this.h;
    h.set(this.outer);
    sha1Compress(h, ob, 0, this.w);
    for (let i = 0; i < tagLength; i++) out[outOffset + i] = h[i >>> 2] >>> (24 - 8 * (i & 3));
  }

  dispose(): void {
    this.scratch.dispose();
    this.ipadBlock.fill(0);
    this.outer.fill(0);
    this.h.fill(0);
    this.outerBlock.fill(0);
  }
}
