// AES_CM_128_HMAC_SHA1_80/_32 (RFC 3711 §4.1.1, §4.2.1) and AES_256_CM_HMAC_SHA1_80/_32 (RFC 6188).
// SRTP: authenticated portion = header + encrypted payload, with the ROC appended for the MAC
// (§4.2). SRTCP: authenticated portion = header + payload + E/index word (§3.4).
import type { SessionKeys } from './key-derivation';
import type { AesCmCipher, HmacSha1, SrtpPrimitives } from './primitives';
import { tagsEqual, E_FLAG, type SrtpTransform } from './transform';
import { rocOf } from './roc';

export class AesCmHmacSha1Transform implements SrtpTransform {
  readonly aead = false;
  readonly rtpTagLength: number;
  readonly rtcpTagLength: number;
  private readonly rtpCipher: AesCmCipher;
  private readonly rtpMac: HmacSha1;
  private readonly rtcpCipher: AesCmCipher;
  private readonly rtcpMac: HmacSha1;
  private readonly tag = new Uint8Array(20);

  constructor(primitives: SrtpPrimitives, rtp: SessionKeys, rtcp: SessionKeys, rtpTagLength: number, rtcpTagLength: number) {
    this.rtpCipher = primitives.aesCm(rtp.encryptionKey, rtp.salt);
    this.rtpMac = primitives.hmacSha1(rtp.authKey);
    this.rtcpCipher = primitives.aesCm(rtcp.encryptionKey, rtcp.salt);
    this.rtcpMac = primitives.hmacSha1(rtcp.authKey);
    this.rtpTagLength = rtpTagLength;
    this.rtcpTagLength = rtcpTagLength;
  }

  sealRtp(data: Uint8Array, start: number, payloadStart: number, payloadEnd: number, tagOffset: number, ssrc: number, index: number): void {
    this.rtpCipher.xorKeystream(ssrc, index, data, payloadStart, payloadEnd);
    this.rtpMac.sign(data, start, payloadEnd, rocOf(index), data, tagOffset, this.rtpTagLength);
  }

  openRtp(data: Uint8Array, start: number, payloadStart: number, payloadEnd: number, tagOffset: number, ssrc: number, index: number): boolean {
    this.rtpMac.sign(data, start, payloadEnd, rocOf(index), this.tag, 0, this.rtpTagLength);
    if (!tagsEqual(this.tag, 0, data, tagOffset, this.rtpTagLength)) return false;
    this.rtpCipher.xorKeystream(ssrc, index, data, payloadStart, payloadEnd);
    return true;
  }

  sealRtcp(data: Uint8Array, start: number, bodyEnd: number, tagOffset: number, ssrc: number, eIndexWord: number): void {
    if (eIndexWord & E_FLAG) this.rtcpCipher.xorKeystream(ssrc, eIndexWord & 0x7fffffff, data, start + 8, bodyEnd);
    this.rtcpMac.sign(data, start, bodyEnd + 4, -1, data, tagOffset, this.rtcpTagLength);
  }

  openRtcp(data: Uint8Array, start: number, bodyEnd: number, tagOffset: number, ssrc: number, eIndexWord: number): boolean {
    this.rtcpMac.sign(data, start, bodyEnd + 4, -1, this.tag, 0, this.rtcpTagLength);
    if (!tagsEqual(this.tag, 0, data, tagOffset, this.rtcpTagLength)) return false;
    if (eIndexWord & E_FLAG) this.rtcpCipher.xorKeystream(ssrc, eIndexWord & 0x7fffffff, data, start + 8, bodyEnd);
    return true;
  }

  dispose(): void {
    this.rtpCipher.dispose();
    this.rtpMac.dispose();
    this.rtcpCipher.dispose();
    this.rtcpMac.dispose();
    this.tag.fill(0);
  }
}
