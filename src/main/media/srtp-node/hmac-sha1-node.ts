// HMAC-SHA1 (RFC 2104) on node:crypto: one native call per packet. The message is laid out after
// the key's inner pad block in a session scratch buffer and hashed with one `crypto.hash`; the
// outer hash is a single SHA-1 block from the precomputed outer pad state, done in TypeScript
// (cheaper than a second native call).
import { hash } from 'node:crypto';
import { hmacPadState, sha1Compress, type HmacSha1 } from '../../../crypto/srtp';

const BLOCK = 64;

export class NodeHmacSha1 implements HmacSha1 {
  private scratch = Buffer.alloc(BLOCK + 1500 + 4);
  private readonly ipadBlock = Buffer.alloc(BLOCK);
  private readonly outer: Int32Array;
  private readonly h = new Int32Array(5);
  private readonly w = new Int32Array(80);
  private readonly outerBlock = new Uint8Array(BLOCK);

  constructor(key: Uint8Array) {
    if (key.length > BLOCK) throw new RangeError('HMAC-SHA1 keys longer than 64 bytes are not used by SRTP');
    this.ipadBlock.set(key);
    for (let i = 0; i < BLOCK; i++) this.ipadBlock[i] ^= 0x36;
    this.scratch.set(this.ipadBlock);
    this.outer = hmacPadState(key, 0x5c);
    // Outer block padding is fixed: 20-byte digest, 0x80, zeros, length (64 + 20) * 8 bits.
    this.outerBlock[20] = 0x80;
    this.outerBlock[62] = ((BLOCK + 20) * 8) >>> 8;
    this.outerBlock[63] = ((BLOCK + 20) * 8) & 0xff;
  }

  sign(data: Uint8Array, start: number, end: number, suffix: number, out: Uint8Array, outOffset: number, tagLength: number): void {
    const n = end - start;
    const total = BLOCK + n + (suffix >= 0 ? 4 : 0);
    if (this.scratch.length < total) {
      this.scratch = Buffer.alloc(total);
      this.scratch.set(this.ipadBlock);
    }
    const s = this.scratch;
    s.set(data.subarray(start, end), BLOCK);
    if (suffix >= 0) s.writeUInt32BE(suffix >>> 0, BLOCK + n);
    const inner = hash('sha1', total === s.length ? s : s.subarray(0, total), 'buffer') as unknown as Buffer;
    const ob = this.outerBlock;
    for (let i = 0; i < 20; i++) ob[i] = inner[i];
    const h = this.h;
    h.set(this.outer);
    sha1Compress(h, ob, 0, this.w);
    for (let i = 0; i < tagLength; i++) out[outOffset + i] = h[i >>> 2] >>> (24 - 8 * (i & 3));
  }

  dispose(): void {
    this.scratch.fill(0);
    this.ipadBlock.fill(0);
    this.outer.fill(0);
    this.h.fill(0);
    this.outerBlock.fill(0);
  }
}
