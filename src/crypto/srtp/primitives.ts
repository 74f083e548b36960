// The small primitive interface SRTP runs on. The portable implementation (this folder, pure
// TypeScript) is the default; the media worker may inject a node:crypto adapter behind the same
// interface (src/main/media/srtp-node) where it is measured faster. Every call works on a region
// of a caller's byte array, so a packet never needs a copy or a view object.

/**
 * AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): keystream block j of the packet
 * (ssrc, index) is AES_k(IV + j) with IV = k_s·2^16 ⊕ SSRC·2^64 ⊕ index·2^16. SRTCP uses the
 * same IV with its 31-bit SRTCP index. Knowing (ssrc, index) rather than the IV lets an
 * implementation precompute keystream for the packets that will most likely follow.
 */
export interface AesCmCipher {
  /** XORs the keystream of packet (ssrc, index) into data[start, end). */
  xorKeystream(ssrc: number, index: number, data: Uint8Array, start: number, end: number): void;
  /** Forgets the key. */
  dispose(): void;
}

/** HMAC-SHA1 (RFC 2104) with the key fixed for the session (RFC 3711 §4.2.1). */
export interface HmacSha1 {
  /**
   * Writes the first `tagLength` bytes of HMAC-SHA1(key, data[start, end) || suffix) to
   * out[outOffset...]. `suffix` is a 32-bit big-endian word appended to the message (SRTP's ROC),
   * or negative for none (SRTCP).
   */
  sign(data: Uint8Array, start: number, end: number, suffix: number, out: Uint8Array, outOffset: number, tagLength: number): void;
  dispose(): void;
}

/** AES-GCM with a 16-byte tag, as RFC 7714 uses it; the key is fixed for the session. */
export interface AesGcmCipher {
  /**
   * Encrypts data[ptStart, ptEnd) in place and writes the tag to data[ptEnd, ptEnd + 16). The
   * associated data is data[aadStart, ptStart) followed, when `hasSuffix`, by `aadSuffix` as a
   * 32-bit big-endian word (SRTCP's E-flag and index, RFC 7714 §9.1), passed as its signed
   * pattern (`word | 0`) so that the per-packet call never boxes a number of 2^31 or more.
   */
  seal(iv: Uint8Array, data: Uint8Array, aadStart: number, ptStart: number, ptEnd: number, aadSuffix: number, hasSuffix: boolean): void;
  /**
   * Checks the tag at data[ctEnd, ctEnd + 16) and, only if it is valid, decrypts
   * data[ctStart, ctEnd) in place. Returns whether the tag was valid; on false nothing changed.
   */
  open(iv: Uint8Array, data: Uint8Array, aadStart: number, ctStart: number, ctEnd: number, aadSuffix: number, hasSuffix: boolean): boolean;
  dispose(): void;
}

export interface SrtpPrimitives {
  /** Implementation name for logs and benchmarks. */
  readonly name: string;
  /** `sessionSalt` is the 112-bit k_s. */
  aesCm(sessionKey: Uint8Array, sessionSalt: Uint8Array): AesCmCipher;
  hmacSha1(authKey: Uint8Array): HmacSha1;
  aesGcm(sessionKey: Uint8Array): AesGcmCipher;
}
