// SRTCP protect/unprotect (RFC 3711 §3.4) in place on a PacketBuffer. Layout:
// AES-CM: header (8) | encrypted part | E + SRTCP index | MKI | tag.
// AEAD (RFC 7714 §17): header (8) | cipher | tag | E + SRTCP index | MKI.
import type { PacketBuffer } from '../packet-buffer';
import { mkiMatches, readInt32, RtcpStreamState, writeUint32, type CryptoContext } from './context';
import { SrtpErrors, type SrtpError } from './errors';
import { SRTCP_INDEX_LENGTH } from './protection-profile';
import { SRTCP_INDEX_LIMIT } from './roc';
import { E_FLAG } from './transform';

const RTCP_HEADER_LENGTH = 8;

function checkRtcpHeader(data: Uint8Array, start: number, end: number): SrtpError | undefined {
  if (end - start < RTCP_HEADER_LENGTH) return SrtpErrors.tooShort;
  if (data[start] >>> 6 !== 2) return SrtpErrors.badVersion;
  return undefined;
}

export function protectRtcp(ctx: CryptoContext, p: PacketBuffer): SrtpError | undefined {
  const t = ctx.transform;
  if (!t) return SrtpErrors.noKey;
  const headerError = checkRtcpHeader(p.bytes, p.start, p.end);
  if (headerError) return headerError;
  if (ctx.srtcpPackets >= ctx.srtcpLifetime) return SrtpErrors.lifetimeExhausted;
  const data = p.bytes;
  const start = p.start;
  const ssrc = readInt32(data, start + 4);
  let stream = ctx.rtcpStreams.get(ssrc);
  const index = stream ? stream.nextIndex : (ctx.initialSrtcpIndex.get(ssrc) ?? 0);
  // The 31-bit index never wraps under one master key (RFC 3711 §3.4, §9.2).
  if (index >= SRTCP_INDEX_LIMIT) return SrtpErrors.lifetimeExhausted;
  if (p.ensureTailroom(SRTCP_INDEX_LENGTH + ctx.mkiLength + t.rtcpTagLength)) return SrtpErrors.overMaxSize;
  if (!stream) {
    stream = new RtcpStreamState(index, ctx.windowSize);
    ctx.rtcpStreams.set(ssrc, stream);
  }
  const bodyEnd = p.end;
  const eIndexWord = ctx.encryptRtcp ? E_FLAG | index : index;
  const indexOffset = t.aead ? bodyEnd + t.rtcpTagLength : bodyEnd;
  const mkiOffset = indexOffset + SRTCP_INDEX_LENGTH;
  const tagOffset = t.aead ? bodyEnd : mkiOffset + ctx.mkiLength;
  writeUint32(data, indexOffset, eIndexWord);
  t.sealRtcp(data, start, bodyEnd, tagOffset, ssrc, eIndexWord);
  if (ctx.mki) data.set(ctx.mki, mkiOffset);
  p.end = bodyEnd + SRTCP_INDEX_LENGTH + ctx.mkiLength + t.rtcpTagLength;
  stream.nextIndex = index + 1;
  ctx.srtcpPackets++;
  return undefined;
}

export function unprotectRtcp(ctx: CryptoContext, p: PacketBuffer): SrtpError | undefined {
  const t = ctx.transform;
  if (!t) return SrtpErrors.noKey;
  const data = p.bytes;
  const start = p.start;
  const bodyEnd = p.end - SRTCP_INDEX_LENGTH - ctx.mkiLength - t.rtcpTagLength;
  const headerError = checkRtcpHeader(data, start, bodyEnd);
  if (headerError) return headerError;
  const indexOffset = t.aead ? bodyEnd + t.rtcpTagLength : bodyEnd;
  const mkiOffset = indexOffset + SRTCP_INDEX_LENGTH;
  const tagOffset = t.aead ? bodyEnd : mkiOffset + ctx.mkiLength;
  if (ctx.mki && !mkiMatches(data, mkiOffset, ctx.mki)) return SrtpErrors.unknownMki;
  if (ctx.srtcpPackets >= ctx.srtcpLifetime) return SrtpErrors.lifetimeExhausted;
  const eIndexWord = readInt32(data, indexOffset);
  const index = eIndexWord & 0x7fffffff;
  const ssrc = readInt32(data, start + 4);
  const known = ctx.rtcpStreams.get(ssrc);
  if (known && known.window.check(index) !== 'fresh') return SrtpErrors.replayed;
  if (!t.openRtcp(data, start, bodyEnd, tagOffset, ssrc, eIndexWord)) return SrtpErrors.authFailed;
  let stream = known;
  if (!stream) {
    stream = new RtcpStreamState(ctx.initialSrtcpIndex.get(ssrc) ?? 0, ctx.windowSize);
    ctx.rtcpStreams.set(ssrc, stream);
  }
  stream.window.accept(index);
  ctx.srtcpPackets++;
  p.end = bodyEnd;
  return undefined;
}
