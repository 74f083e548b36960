// Feedback messages: generic NACK (RFC 4585 §6.2.1), PLI (RFC 4585 §6.3.1) and FIR
// (RFC 5104 §4.3.1). Common layout (RFC 4585 §6.1): header with FMT, sender SSRC, media SSRC, FCI.

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import { readU16, readU32, writeU16, writeU32 } from '../rtp/bytes';
import { beginRtcpPacket, finishRtcpPacket, RTCP_HEADER_LENGTH, RTCP_PSFB, RTCP_RTPFB } from './header';
import type { RtcpPacketView, RtcpParseError } from './header';

/** FMT of a generic NACK in RTPFB (RFC 4585 §6.2.1). */
export const FMT_NACK = 1;
/** FMT of a PLI in PSFB (RFC 4585 §6.3.1). */
export const FMT_PLI = 1;
/** FMT of a FIR in PSFB (RFC 5104 §4.3.1). */
export const FMT_FIR = 4;

export interface FeedbackHeader {
  packetType: number;
  fmt: number;
  senderSsrc: number;
  mediaSsrc: number;
  /** Feedback control information offsets. */
  fciStart: number;
  fciEnd: number;
}

export function createFeedbackHeader(): FeedbackHeader {
  return { packetType: 0, fmt: 0, senderSsrc: 0, mediaSsrc: 0, fciStart: 0, fciEnd: 0 };
}

export function parseFeedback(bytes: Uint8Array, view: RtcpPacketView, out: FeedbackHeader): RtcpParseError | undefined {
  const pos = view.start + RTCP_HEADER_LENGTH;
  if (pos + 8 > view.bodyEnd) return 'truncated-body';
  out.packetType = view.packetType;
  out.fmt = view.count;
  out.senderSsrc = readU32(bytes, pos);
  out.mediaSsrc = readU32(bytes, pos + 4);
  out.fciStart = pos + 8;
  out.fciEnd = view.bodyEnd;
  // NACK FCI entries are 4 octets, FIR entries 8: a ragged tail is malformed.
  if (view.packetType === RTCP_RTPFB && out.fmt === FMT_NACK && (out.fciEnd - out.fciStart) % 4 !== 0) return 'truncated-body';
  if (view.packetType === RTCP_PSFB && out.fmt === FMT_FIR && (out.fciEnd - out.fciStart) % 8 !== 0) return 'truncated-body';
  return undefined;
}

/**
 * Writes into `out` the sequence numbers a NACK's FCI asks for (PID, then one per BLP bit,
 * RFC 4585 §6.2.1), at most `out.length`; returns how many.
 */
export function nackedSequenceNumbers(bytes: Uint8Array, fb: FeedbackHeader, out: Uint16Array): number {
  let n = 0;
  for (let pos = fb.fciStart; pos + 4 <= fb.fciEnd; pos += 4) {
    const pid = readU16(bytes, pos);
    const blp = readU16(bytes, pos + 2);
    if (n < out.length) out[n++] = pid;
    for (let bit = 0; bit < 16; bit++) {
      if (blp & (1 << bit) && n < out.length) out[n++] = (pid + bit + 1) & 0xffff;
    }
  }
  return n;
}

/**
 * Appends a generic NACK for `count` sequence numbers of `lost`, which must be sorted in
 * sequence order (wrap allowed); each PID covers itself and the 16 that follow.
 */
export function writeNack(
  p: PacketBuffer,
  senderSsrc: number,
  mediaSsrc: number,
  lost: Uint16Array | readonly number[],
  count = lost.length,
): PacketBufferError | undefined {
  // At most one FCI entry per lost packet: reserve that, write, then trim.
  const err = beginRtcpPacket(p, FMT_NACK, RTCP_RTPFB, 8 + 4 * count);
  if (err) return err;
  const start = p.end;
  const b = p.bytes;
  writeU32(b, start + 4, senderSsrc | 0);
  writeU32(b, start + 8, mediaSsrc | 0);
  let pos = start + 12;
  let i = 0;
  while (i < count) {
    const pid = lost[i] & 0xffff;
    let blp = 0;
    i++;
    while (i < count) {
      const delta = ((lost[i] & 0xffff) - pid) & 0xffff;
      if (delta === 0) {
        i++;
        continue;
      }
      if (delta > 16) break;
      blp |= 1 << (delta - 1);
      i++;
    }
    writeU16(b, pos, pid);
    writeU16(b, pos + 2, blp);
    pos += 4;
  }
  p.end = pos;
  finishRtcpPacket(p, start);
  return undefined;
}

/** Appends a Picture Loss Indication (RFC 4585 §6.3.1: no FCI). */
export function writePli(p: PacketBuffer, senderSsrc: number, mediaSsrc: number): PacketBufferError | undefined {
  const err = beginRtcpPacket(p, FMT_PLI, RTCP_PSFB, 8);
  if (err) return err;
  const start = p.end;
  writeU32(p.bytes, start + 4, senderSsrc | 0);
  writeU32(p.bytes, start + 8, mediaSsrc | 0);
  p.end = start + 12;
  finishRtcpPacket(p, start);
  return undefined;
}

/**
 * Appends a Full Intra Request for one media sender (RFC 5104 §4.3.1: the media SSRC field is 0,
 * the target sits in the FCI with a command sequence number that the sender bumps per request).
 */
export function writeFir(p: PacketBuffer, senderSsrc: number, mediaSsrc: number, commandSequence: number): PacketBufferError | undefined {
  const err = beginRtcpPacket(p, FMT_FIR, RTCP_PSFB, 16);
  if (err) return err;
  const start = p.end;
  const b = p.bytes;
  writeU32(b, start + 4, senderSsrc | 0);
  writeU32(b, start + 8, 0);
  writeU32(b, start + 12, mediaSsrc | 0);
  b[start + 16] = commandSequence;
  b[start + 17] = b[start + 18] = b[start + 19] = 0;
  p.end = start + 20;
  finishRtcpPacket(p, start);
  return undefined;
}

/**
 * Finds the FIR entry addressed to `ssrc`; returns its command sequence number, or -1 if the FIR
 * is not for that source.
 */
export function firSequenceFor(bytes: Uint8Array, fb: FeedbackHeader, ssrc: number): number {
  for (let pos = fb.fciStart; pos + 8 <= fb.fciEnd; pos += 8) {
    if (readU32(bytes, pos) === ssrc >>> 0) return bytes[pos + 4];
  }
  return -1;
}
