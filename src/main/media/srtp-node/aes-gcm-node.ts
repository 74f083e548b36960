// AES-GCM (RFC 7714) on node:crypto: a cipher object per packet (GCM's IV changes per packet and
// node cannot rekey an IV in place), which still beats the portable GCM by far at video sizes.
// That object and what its calls return are the whole per-packet cost (issue 23): createCipheriv,
// setAAD, update, final, getAuthTag and nothing of ours. The packet reaches node:crypto through
// one PacketScratch copy (no view per packet): the text from `at`, the AAD (the header) right in
// front of it, the received tag behind it; SRTCP's AAD, which ends in the E + index word, gets a
// scratch of its own (no Buffer.concat). Going faster needs what the public API lacks: one
// cipher context per session whose IV is reset per packet (OpenSSL's EVP_CipherInit_ex with only
// an IV), i.e. a native addon; bench/srtp.mjs measures how close this gets to the bare API loop.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { AesGcmCipher } from '../../../crypto/srtp';
import { PacketScratch } from './packet-scratch';

const TAG = 16;

export class NodeAesGcm implements AesGcmCipher {
  private readonly key: Buffer;
  private readonly algorithm: 'aes-128-gcm' | 'aes-256-gcm';
  /** The text (plain or cipher) from `at`, the AAD in front of it, on open the received tag behind it. */
  private readonly text = new PacketScratch(0, TAG, 0);
  /** SRTCP's AAD from `at`, then its 4-byte suffix. */
  private readonly aad = new PacketScratch(0, 4, 0);
  private readonly tag = Buffer.alloc(TAG);

  constructor(sessionKey: Uint8Array) {
    this.key = Buffer.from(sessionKey);
    this.algorithm = sessionKey.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm';
  }

  seal(iv: Uint8Array, data: Uint8Array, aadStart: number, ptStart: number, ptEnd: number, aadSuffix: number, hasSuffix: boolean): void {
    const c = createCipheriv(this.algorithm, this.key, iv);
    const text = this.text;
    text.load(data, ptStart, ptEnd);
    c.setAAD(hasSuffix ? this.suffixedAad(data, aadStart, ptStart, aadSuffix) : text.viewBefore(ptStart - aadStart));
    const ct = c.update(text.view(ptEnd - ptStart));
    c.final();
    data.set(ct, ptStart);
    data.set(c.getAuthTag(), ptEnd);
  }

  open(iv: Uint8Array, data: Uint8Array, aadStart: number, ctStart: number, ctEnd: number, aadSuffix: number, hasSuffix: boolean): boolean {
    const d = createDecipheriv(this.algorithm, this.key, iv);
    const text = this.text;
    const at = text.load(data, ctStart, ctEnd + TAG);
    d.setAAD(hasSuffix ? this.suffixedAad(data, aadStart, ctStart, aadSuffix) : text.viewBefore(ctStart - aadStart));
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

  /** data[start, end), then `suffix` as a big-endian word (SRTCP, RFC 7714 §9.2). */
  private suffixedAad(data: Uint8Array, start: number, end: number, suffix: number): Uint8Array {
    const aad = this.aad;
    const at = aad.load(data, start, end);
    const n = end - start;
    const b = aad.bytes;
    b[at + n] = suffix >>> 24;
    b[at + n + 1] = suffix >>> 16;
    b[at + n + 2] = suffix >>> 8;
    b[at + n + 3] = suffix;
    return aad.view(n + 4);
  }

  dispose(): void {
    this.key.fill(0);
    this.text.dispose();
    this.aad.dispose();
    this.tag.fill(0);
  }
}
