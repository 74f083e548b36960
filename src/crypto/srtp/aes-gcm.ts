// Portable AES-GCM for the AEAD suites (RFC 7714) over @noble/ciphers. It allocates per packet
// (noble's GCM builds its state per call): correct everywhere, and the worker can inject a faster
// implementation through the primitive interface.
import { gcm } from '@noble/ciphers/aes.js';
import type { AesGcmCipher } from './primitives';

export const GCM_TAG_LENGTH = 16;

export class PortableAesGcm implements AesGcmCipher {
  private readonly key: Uint8Array;

  constructor(sessionKey: Uint8Array) {
    this.key = Uint8Array.from(sessionKey);
  }

  seal(iv: Uint8Array, data: Uint8Array, aadStart: number, ptStart: number, ptEnd: number, aadSuffix: number): void {
    const aad = associatedData(data, aadStart, ptStart, aadSuffix);
    const sealed = gcm(this.key, iv, aad).encrypt(data.subarray(ptStart, ptEnd));
    data.set(sealed, ptStart);
  }

  open(iv: Uint8Array, data: Uint8Array, aadStart: number, ctStart: number, ctEnd: number, aadSuffix: number): boolean {
    const aad = associatedData(data, aadStart, ctStart, aadSuffix);
    let plain: Uint8Array;
    try {
      plain = gcm(this.key, iv, aad).decrypt(data.subarray(ctStart, ctEnd + GCM_TAG_LENGTH));
    } catch {
      return false;
    }
    data.set(plain, ctStart);
    return true;
  }

  dispose(): void {
    this.key.fill(0);
  }
}

function associatedData(data: Uint8Array, start: number, end: number, suffix: number): Uint8Array {
  if (suffix < 0) return data.slice(start, end);
  const aad = new Uint8Array(end - start + 4);
  aad.set(data.subarray(start, end));
  const n = end - start;
  aad[n] = suffix >>> 24;
  aad[n + 1] = suffix >>> 16;
  aad[n + 2] = suffix >>> 8;
  aad[n + 3] = suffix;
  return aad;
}
