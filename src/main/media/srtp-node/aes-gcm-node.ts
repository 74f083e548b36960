// AES-GCM (RFC 7714) on node:crypto: a cipher object per packet (GCM's IV changes per packet and
// node cannot rekey an IV in place), which still beats the portable GCM by far at video sizes.
// That object and what its calls return are the whole per-packet cost (issue 23): createCipheriv,
// setAAD, update, final, getAuthTag and nothing of ours. The packet reaches node:crypto through
// PacketScratch (no view per packet) and the AAD through a buffer of its own that also holds
// SRTCP's E + index word (no Buffer.concat). Going faster needs what the public API lacks: one
// cipher context per session whose IV is reset per packet (OpenSSL's EVP_CipherInit_ex with only
// an IV), i.e. a native addon; bench/srtp.mjs measures how close this gets to the bare API loop.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { AesGcmCipher } from '../../../crypto/srtp';
import { PacketScratch } from './packet-scratch';

const TAG = 16;

export class NodeAesGcm implements AesGcmCipher {
  private readonly key: Buffer;
  private readonly algorithm: 'aes-128-gcm' | 'aes-256-gcm';
  /** The text (plain or cipher) from `at`, then on open the received tag. */
  private readonly text = new PacketScratch(0, TAG, 0);
  /** The AAD from `at`, then SRTCP's 4-byte suffix. */
  private readonly aad = new PacketScratch(0, 4, 0);
  private readonly tag = Buffer.alloc(TAG);

  constructor(sessionKey: Uint8Array) {
    this.key = Buffer.from(sessionKey);
    this.algorithm = sessionKey.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm';
  }

  seal(iv: Uint8Array, data: Uint8Array, aadStart: number, ptStart: number, ptEnd: number, aadSuffix: number, hasSuffix: boolean): void {
    const c = createCipheriv(this.algorithm, this.key, iv);
    c.setAAD(this.aadView(data, aadStart, ptStart, aadSuffix, hasSuffix));
    this.text.load(data, ptStart, ptEnd);
    const ct = c.update(this.text.view(ptEnd - ptStart));
    c.final();
    data.set(ct, ptStart);
    data.set(c.getAuthTag(), ptEnd);
  }

  open(iv: Uint8Array, data: Uint8Array, aadStart: number, ctStart: number, ctEnd: number, aadSuffix: number, hasSuffix: boolean): boolean {
    const d = createDecipheriv(this.algorithm, this.key, iv);
    d.setAAD(this.aadView(data, aadStart, ctStart, aadSuffix, hasSuffix));
    const text = this.text;
    const at = text.load(data, ctStart, ctEnd + TAG);
    const n = ctEnd - ctStart;
    const tag = this.tag;
    for (let i = 0; i < TAG; i++) tag[i] = text.bytes[at + n + i];
    d.setAuthTag(tag);
    const pt = d.update(text.view(n));
    try {
      d.final();
    } catch {
      return false;
    }
    data.set(pt, ctStart);
    return true;
  }

  /** data[start, end), then `suffix` as a big-endian word when `hasSuffix` (RFC 7714 §9.2). */
  private aadView(data: Uint8Array, start: number, end: number, suffix: number, hasSuffix: boolean): Uint8Array {
    const aad = this.aad;
    const at = aad.load(data, start, end);
    let n = end - start;
    if (hasSuffix) {
      const b = aad.bytes;
      b[at + n] = suffix >>> 24;
      b[at + n + 1] = suffix >>> 16;
      b[at + n + 2] = suffix >>> 8;
      b[at + n + 3] = suffix;
      n += 4;
    }
    return aad.view(n);
  }

  dispose(): void {
    this.key.fill(0);
    this.text.dispose();
    this.aad.dispose();
    this.tag.fill(0);
  }
}
