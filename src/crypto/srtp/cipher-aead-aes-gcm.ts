// AEAD_AES_128_GCM and AEAD_AES_256_GCM (RFC 7714). SRTP: AAD = the RTP header (§8.2), IV from
// SSRC, ROC and SEQ (§8.1). SRTCP: AAD = the first 8 octets + the E/index word when encrypting,
// the whole packet + the E/index word when only tagging (§9.2, §9.3); IV from SSRC and index (§9.1).
import type { SessionKeys } from './key-derivation';
import type { AesGcmCipher, SrtpPrimitives } from './primitives';
import { E_FLAG, type SrtpTransform } from './transform';
import { rocOf } from './roc';
import { GCM_TAG_LENGTH } from './aes-gcm';

export class AeadAesGcmTransform implements SrtpTransform {
  readonly aead = true;
  readonly rtpTagLength = GCM_TAG_LENGTH;
  readonly rtcpTagLength = GCM_TAG_LENGTH;
  private readonly rtpCipher: AesGcmCipher;
  private readonly rtcpCipher: AesGcmCipher;
  private readonly rtpSalt: Uint8Array;
  private readonly rtcpSalt: Uint8Array;
  private readonly iv = new Uint8Array(12);

  constructor(primitives: SrtpPrimitives, rtp: SessionKeys, rtcp: SessionKeys) {
    this.rtpCipher = primitives.aesGcm(rtp.encryptionKey);
    this.rtcpCipher = primitives.aesGcm(rtcp.encryptionKey);
    this.rtpSalt = Uint8Array.from(rtp.salt);
    this.rtcpSalt = Uint8Array.from(rtcp.salt);
  }

  /** RFC 7714 §8.1: (00 00 || SSRC || ROC || SEQ) ⊕ salt; §9.1: (00 00 || SSRC || 00 00 || 0 || index) ⊕ salt. */
  private formIv(salt: Uint8Array, ssrc: number, high: number, low16: number): Uint8Array {
    const iv = this.iv;
    iv[0] = salt[0];
    iv[1] = salt[1];
    iv[2] = salt[2] ^ (ssrc >>> 24);
    iv[3] = salt[3] ^ ((ssrc >>> 16) & 0xff);
    iv[4] = salt[4] ^ ((ssrc >>> 8) & 0xff);
    iv[5] = salt[5] ^ (ssrc & 0xff);
    iv[6] = salt[6] ^ (high >>> 24);
    iv[7] = salt[7] ^ ((high >>> 16) & 0xff);
    iv[8] = salt[8] ^ ((high >>> 8) & 0xff);
    iv[9] = salt[9] ^ (high & 0xff);
    iv[10] = salt[10] ^ (low16 >>> 8);
    iv[11] = salt[11] ^ (low16 & 0xff);
    return iv;
  }

  private rtpIv(ssrc: number, index: number): Uint8Array {
    return this.formIv(this.rtpSalt, ssrc, rocOf(index), index & 0xffff);
  }

  private rtcpIv(ssrc: number, srtcpIndex: number): Uint8Array {
    return this.formIv(this.rtcpSalt, ssrc, srtcpIndex >>> 16, srtcpIndex & 0xffff);
  }

  sealRtp(data: Uint8Array, start: number, payloadStart: number, payloadEnd: number, _tagOffset: number, ssrc: number, index: number): void {
    this.rtpCipher.seal(this.rtpIv(ssrc, index), data, start, payloadStart, payloadEnd, 0, false);
  }

  openRtp(data: Uint8Array, start: number, payloadStart: number, payloadEnd: number, _tagOffset: number, ssrc: number, index: number): boolean {
    return this.rtpCipher.open(this.rtpIv(ssrc, index), data, start, payloadStart, payloadEnd, 0, false);
  }

  sealRtcp(data: Uint8Array, start: number, bodyEnd: number, _tagOffset: number, ssrc: number, eIndexWord: number): void {
    const iv = this.rtcpIv(ssrc, eIndexWord & 0x7fffffff);
    const ptStart = eIndexWord & E_FLAG ? start + 8 : bodyEnd;
    this.rtcpCipher.seal(iv, data, start, ptStart, bodyEnd, eIndexWord | 0, true);
  }

  openRtcp(data: Uint8Array, start: number, bodyEnd: number, _tagOffset: number, ssrc: number, eIndexWord: number): boolean {
    const iv = this.rtcpIv(ssrc, eIndexWord & 0x7fffffff);
    const ctStart = eIndexWord & E_FLAG ? start + 8 : bodyEnd;
    return this.rtcpCipher.open(iv, data, start, ctStart, bodyEnd, eIndexWord | 0, true);
  }

  dispose(): void {
    this.rtpCipher.dispose();
    this.rtcpCipher.dispose();
    this.rtpSalt.fill(0);
    this.rtcpSalt.fill(0);
    this.iv.fill(0);
  }
}
