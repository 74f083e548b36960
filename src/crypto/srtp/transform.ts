// What a cipher family does to one packet once srtp.ts / srtcp.ts have parsed it and placed its
// trailer. Offsets index the packet's byte array; nothing is copied.

export interface SrtpTransform {
  /** RFC 7714 puts the tag before the MKI (SRTP) and before the E/index word (SRTCP). */
  readonly aead: boolean;
  readonly rtpTagLength: number;
  readonly rtcpTagLength: number;
  /** Encrypts data[payloadStart, payloadEnd) and writes the tag at tagOffset. */
  sealRtp(data: Uint8Array, start: number, payloadStart: number, payloadEnd: number, tagOffset: number, ssrc: number, index: number): void;
  /** Verifies the tag at tagOffset, then decrypts; false (and nothing changed) if it does not verify. */
  openRtp(data: Uint8Array, start: number, payloadStart: number, payloadEnd: number, tagOffset: number, ssrc: number, index: number): boolean;
  /**
   * Encrypts data[start + 8, bodyEnd) when the E-flag of `eIndexWord` is set and writes the tag at
   * tagOffset. For AES-CM the E/index word is already at bodyEnd (it is authenticated in place).
   */
  sealRtcp(data: Uint8Array, start: number, bodyEnd: number, tagOffset: number, ssrc: number, eIndexWord: number): void;
  openRtcp(data: Uint8Array, start: number, bodyEnd: number, tagOffset: number, ssrc: number, eIndexWord: number): boolean;
  dispose(): void;
}

export const E_FLAG = 0x80000000;

/** Compares a computed tag with the received one without an early exit. */
export function tagsEqual(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number, length: number): boolean {
  let diff = 0;
  for (let i = 0; i < length; i++) diff |= a[aOffset + i] ^ b[bOffset + i];
  return diff === 0;
}
