// AES-GCM (RFC 7714) on node:crypto: a cipher object per packet (GCM's IV changes per packet and
// node cannot rekey an IV in place), which still beats the portable GCM by far.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { AesGcmCipher } from '../../../crypto/srtp';

const TAG = 16;

export class NodeAesGcm implements AesGcmCipher {
  private readonly key: Buffer;
  private readonly algorithm: 'aes-128-gcm' | 'aes-256-gcm';
  private readonly suffix = Buffer.alloc(4);

  constructor(sessionKey: Uint8Array) {
    this.key = Buffer.from(sessionKey);
    this.algorithm = sessionKey.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm';
  }

  seal(iv: Uint8Array, data: Uint8Array, aadStart: number, ptStart: number, ptEnd: number, aadSuffix: number, hasSuffix: boolean): void {
    const c = createCipheriv(this.algorithm, this.key, iv);
    c.setAAD(this.aad(data, aadStart, ptStart, aadSuffix, hasSuffix));
    const ct = c.update(data.subarray(ptStart, ptEnd));
    c.final();
    data.set(ct, ptStart);
    data.set(c.getAuthTag(), ptEnd);
  }

  open(iv: Uint8Array, data: Uint8Array, aadStart: number, ctStart: number, ctEnd: number, aadSuffix: number, hasSuffix: boolean): boolean {
    const d = createDecipheriv(this.algorithm, this.key, iv);
    d.setAAD(this.aad(data, aadStart, ctStart, aadSuffix, hasSuffix));
    d.setAuthTag(data.subarray(ctEnd, ctEnd + TAG));
    const pt = d.update(data.subarray(ctStart, ctEnd));
    try {
      d.final();
    } catch {
      return false;
    }
    data.set(pt, ctStart);
    return true;
  }

  private aad(data: Uint8Array, start: number, end: number, suffix: number, hasSuffix: boolean): Uint8Array {
    if (!hasSuffix) return data.subarray(start, end);
    this.suffix.writeUInt32BE(suffix >>> 0, 0);
    return Buffer.concat([data.subarray(start, end), this.suffix]);
  }

  dispose(): void {
    this.key.fill(0);
  }
}

