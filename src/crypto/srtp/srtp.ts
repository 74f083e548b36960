// SRTP protect/unprotect (RFC 3711 §3.3) in place on a PacketBuffer. Layout (RFC 3711 §3.1):
// header | encrypted payload | MKI | tag; with AEAD (RFC 7714) the tag ends the cipher, so:
// header | cipher | tag | MKI.
import type { PacketBuffer } from '../packet-buffer';
import { mkiMatches, readInt32, RtpStreamState, type CryptoContext } from './context';
import { SrtpErrors, type SrtpError } from './errors';
import { estimateIndex, rocOf, SRTP_INDEX_LIMIT } from './roc';

const RTP_HEADER_LENGTH = 12;

/**
 * Length of the RTP header at data[start, end) (fixed part, CSRCs, header extension: RFC 3550
 * §5.1, §5.3.1), or an error if it does not fit or is not version 2.
 */
export function rtpHeaderLength(data: Uint8Array, start: number, end: number): number | SrtpError {
  if (end - start < RTP_HEADER_LENGTH) return SrtpErrors.tooShort;
  const b0 = data[start];
  if (b0 >>> 6 !== 2) return SrtpErrors.badVersion;
  let length = RTP_HEADER_LENGTH + 4 * (b0 & 0x0f);
  if (b0 & 0x10) {
    if (start + length + 4 > end) return SrtpErrors.malformed;
    length += 4 + 4 * ((data[start + length + 2] << 8) | data[start + length + 3]);
  }
  if (start + length > end) return SrtpErrors.malformed;
  return length;
}

export function protectRtp(ctx: CryptoContext, p: PacketBuffer): SrtpError | undefined {
  const t = ctx.transform;
  if (!t) return SrtpErrors.noKey;
  const headerLength = rtpHeaderLength(p.bytes, p.start, p.end);
  if (typeof headerLength !== 'number') return headerLength;
  if (ctx.srtpPackets >= ctx.srtpLifetime) return SrtpErrors.lifetimeExhausted;
  if (p.ensureTailroom(ctx.mkiLength + t.rtpTagLength)) return SrtpErrors.overMaxSize;
  const data = p.bytes;
  const start = p.start;
  const seq = (data[start + 2] << 8) | data[start + 3];
  const ssrc = readInt32(data, start + 8);
  let stream = ctx.rtpStreams.get(ssrc);
  if (!stream) {
    stream = new RtpStreamState(ctx.initialRoc.get(ssrc) ?? 0, ctx.windowSize);
    ctx.rtpStreams.set(ssrc, stream);
  }
  // The sender tracks its own ROC the way a receiver would (Appendix A), so a reordered send
  // queue still gets the right index.
  const index = stream.sl < 0 ? stream.roc * 0x10000 + seq : estimateIndex(stream.roc, stream.sl, seq);
  if (index < 0 || index >= SRTP_INDEX_LIMIT) return SrtpErrors.lifetimeExhausted;
  const payloadEnd = p.end;
  const tagOffset = t.aead ? payloadEnd : payloadEnd + ctx.mkiLength;
  const mkiOffset = t.aead ? payloadEnd + t.rtpTagLength : payloadEnd;
  t.sealRtp(data, start, start + headerLength, payloadEnd, tagOffset, ssrc, index);
  if (ctx.mki) data.set(ctx.mki, mkiOffset);
  p.end = payloadEnd + ctx.mkiLength + t.rtpTagLength;
  ctx.srtpPackets++;
  if (stream.sl < 0 || index > stream.roc * 0x10000 + stream.sl) {
    stream.roc = rocOf(index);
    stream.sl = seq;
  }
  return undefined;
}

export function unprotectRtp(ctx: CryptoContext, p: PacketBuffer): SrtpError | undefined {
  const t = ctx.transform;
  if (!t) return SrtpErrors.noKey;
  const data = p.bytes;
  const start = p.start;
  const trailer = ctx.mkiLength + t.rtpTagLength;
  const payloadEnd = p.end - trailer;
  if (payloadEnd - start < RTP_HEADER_LENGTH) return SrtpErrors.tooShort;
  const headerLength = rtpHeaderLength(data, start, payloadEnd);
  if (typeof headerLength !== 'number') return headerLength;
  const tagOffset = t.aead ? payloadEnd : payloadEnd + ctx.mkiLength;
  const mkiOffset = t.aead ? payloadEnd + t.rtpTagLength : payloadEnd;
  if (ctx.mki && !mkiMatches(data, mkiOffset, ctx.mki)) return SrtpErrors.unknownMki;
  if (ctx.srtpPackets >= ctx.srtpLifetime) return SrtpErrors.lifetimeExhausted;
  const seq = (data[start + 2] << 8) | data[start + 3];
  const ssrc = readInt32(data, start + 8);
  const known = ctx.rtpStreams.get(ssrc);
  let index: number;
  if (known && known.sl >= 0) {
    index = estimateIndex(known.roc, known.sl, seq);
    if (index < 0 || index >= SRTP_INDEX_LIMIT) return SrtpErrors.replayed;
    if (known.window.check(index) !== 'fresh') return SrtpErrors.replayed;
  } else {
    // First packet of this SSRC: s_l := SEQ, ROC as signalled or 0 (RFC 3711 §3.3.1).
    index = (known?.roc ?? ctx.initialRoc.get(ssrc) ?? 0) * 0x10000 + seq;
  }
  if (!t.openRtp(data, start, start + headerLength, payloadEnd, tagOffset, ssrc, index)) return SrtpErrors.authFailed;
  // Authenticated: only now does the state move (RFC 3711 §3.3.2).
  let stream = known;
  if (!stream) {
    stream = new RtpStreamState(rocOf(index), ctx.windowSize);
    ctx.rtpStreams.set(ssrc, stream);
  }
  if (stream.sl < 0 || index > stream.window.highest) {
    stream.roc = rocOf(index);
    stream.sl = seq;
  }
  stream.window.accept(index);
  ctx.srtpPackets++;
  p.end = payloadEnd;
  return undefined;
}
