// RTCP common header (RFC 3550 §6.4.1) and safe iteration over a compound packet (§6.1, A.2):
// every length is checked against the datagram before anything is read.

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import { readU16, writeU16 } from '../rtp/bytes';

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;
/** Transport layer feedback (RFC 4585 §6.2). */
export const RTCP_RTPFB = 205;
/** Payload-specific feedback (RFC 4585 §6.3). */
export const RTCP_PSFB = 206;

export const RTCP_HEADER_LENGTH = 4;

export type RtcpParseError =
  | 'too-short'
  | 'bad-version'
  | 'length-past-end'
  | 'bad-padding'
  | 'truncated-body';

/** One packet inside a compound: absolute offsets into the parsed bytes. */
export interface RtcpPacketView {
  padding: boolean;
  /** RC, SC or FMT: the 5 bits after P. */
  count: number;
  packetType: number;
  /** Offset of the header. */
  start: number;
  /** Offset after the body, padding excluded. */
  bodyEnd: number;
  /** Offset after the whole packet (the next packet's start). */
  end: number;
}

export function createRtcpPacketView(): RtcpPacketView {
  return { padding: false, count: 0, packetType: 0, start: 0, bodyEnd: 0, end: 0 };
}

/** Reads the packet header at `pos`, bounded by `end`. */
export function readRtcpPacket(
  bytes: Uint8Array,
  pos: number,
  end: number,
  out: RtcpPacketView,
): RtcpParseError | undefined {
  if (pos < 0 || end > bytes.length || end - pos < RTCP_HEADER_LENGTH) return 'too-short';
  const b0 = bytes[pos];
  if (b0 >> 6 !== 2) return 'bad-version';
  const length = (readU16(bytes, pos + 2) + 1) * 4;
  if (pos + length > end) return 'length-past-end';
  out.padding = (b0 & 0x20) !== 0;
  out.count = b0 & 0x1f;
  out.packetType = bytes[pos + 1];
  out.start = pos;
  out.end = pos + length;
  out.bodyEnd = out.end;
  if (out.padding) {
    const pad = bytes[out.end - 1];
    if (pad === 0 || pad > length - RTCP_HEADER_LENGTH) return 'bad-padding';
    out.bodyEnd = out.end - pad;
  }
  return undefined;
}

/**
 * Appends a header with a zero length field and returns nothing; `finishRtcpPacket` fills the
 * length once the body is written. Grows `p` when it lacks room.
 */
export function beginRtcpPacket(p: PacketBuffer, count: number, packetType: number, bodyLength: number): PacketBufferError | undefined {
  const err = p.ensureTailroom(RTCP_HEADER_LENGTH + bodyLength);
  if (err) return err;
  p.bytes[p.end] = 0x80 | (count & 0x1f);
  p.bytes[p.end + 1] = packetType;
  writeU16(p.bytes, p.end + 2, 0);
  return undefined;
}

/** Sets the length field of the packet that starts at `start` and ends at `p.end` (a multiple of 4). */
export function finishRtcpPacket(p: PacketBuffer, start: number): void {
  writeU16(p.bytes, start + 2, (p.end - start) / 4 - 1);
}
