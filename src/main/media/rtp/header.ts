// RTP fixed header, CSRC list, header extension and padding (RFC 3550 §5.1, §5.3.1). The parser
// fills a caller-owned RtpHeader and reports positions into the caller's bytes: no allocation.

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import { copyBytes, readU16, readU32, writeU16, writeU32 } from './bytes';

export const RTP_VERSION = 2;
export const RTP_FIXED_HEADER_LENGTH = 12;
export const RTP_MAX_CSRC = 15;

export type RtpParseError =
  | 'too-short'
  | 'bad-version'
  | 'truncated-csrc'
  | 'truncated-extension'
  | 'bad-padding';

/** What the writer needs; an RtpHeader has it and more. */
export interface RtpHeaderFields {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcCount: number;
  /** First `csrcCount` entries are valid. */
  readonly csrc: Uint32Array;
}

/** A parsed header: the writer's fields plus what the parser found (RFC 3550 §5.1). */
export interface RtpHeader extends RtpHeaderFields {
  padding: boolean;
  extension: boolean;
  /** Header extension "defined by profile" field (RFC 3550 §5.3.1), 0 without extension. */
  extensionProfile: number;
  /** Absolute offsets of the extension data (after its 4-byte header) in the parsed bytes. */
  extensionStart: number;
  extensionEnd: number;
  /** Absolute offsets of the payload, padding excluded. */
  payloadStart: number;
  payloadEnd: number;
  /** Padding octets at the end, the count octet included (RFC 3550 §5.1). */
  paddingLength: number;
}

export function createRtpHeader(): RtpHeader {
  return {
    padding: false,
    extension: false,
    marker: false,
    payloadType: 0,
    sequenceNumber: 0,
    timestamp: 0,
    ssrc: 0,
    csrcCount: 0,
    csrc: new Uint32Array(RTP_MAX_CSRC),
    extensionProfile: 0,
    extensionStart: 0,
    extensionEnd: 0,
    payloadStart: 0,
    payloadEnd: 0,
    paddingLength: 0,
  };
}

/** Parses the RTP packet `bytes[start, end)` into `out`; on error `out` is left partly filled. */
export function parseRtpHeader(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: RtpHeader,
): RtpParseError | undefined {
  if (start < 0 || end > bytes.length || end - start < RTP_FIXED_HEADER_LENGTH) return 'too-short';
  const b0 = bytes[start];
  if (b0 >> 6 !== RTP_VERSION) return 'bad-version';
  const b1 = bytes[start + 1];
  out.padding = (b0 & 0x20) !== 0;
  out.extension = (b0 & 0x10) !== 0;
  out.csrcCount = b0 & 0x0f;
  out.marker = (b1 & 0x80) !== 0;
  out.payloadType = b1 & 0x7f;
  out.sequenceNumber = readU16(bytes, start + 2);
  out.timestamp = readU32(bytes, start + 4);
  out.ssrc = readU32(bytes, start + 8);
  let pos = start + RTP_FIXED_HEADER_LENGTH;
  if (pos + 4 * out.csrcCount > end) return 'truncated-csrc';
  for (let i = 0; i < out.csrcCount; i++, pos += 4) out.csrc[i] = readU32(bytes, pos);
  out.extensionProfile = 0;
  out.extensionStart = pos;
  out.extensionEnd = pos;
  if (out.extension) {
    if (pos + 4 > end) return 'truncated-extension';
    out.extensionProfile = readU16(bytes, pos);
    const extensionLength = 4 * readU16(bytes, pos + 2);
    pos += 4;
    if (pos + extensionLength > end) return 'truncated-extension';
    out.extensionStart = pos;
    pos += extensionLength;
    out.extensionEnd = pos;
  }
  out.paddingLength = 0;
  if (out.padding) {
    // The last octet counts the padding, itself included: 0 or more than the payload is invalid.
    const count = bytes[end - 1];
    if (count === 0 || count > end - pos) return 'bad-padding';
    out.paddingLength = count;
  }
  out.payloadStart = pos;
  out.payloadEnd = end - out.paddingLength;
  return undefined;
}

/** Header length for `csrcCount` CSRCs and `extensionDataLength` extension bytes (a multiple of 4). */
export function rtpHeaderLength(csrcCount: number, extensionDataLength = -1): number {
  return RTP_FIXED_HEADER_LENGTH + 4 * csrcCount + (extensionDataLength >= 0 ? 4 + extensionDataLength : 0);
}

/**
 * Appends an RTP header (no padding, no extension) at `p.end`, growing the buffer if needed.
 * The payload follows with `p.append` or by writing at `p.end`.
 */
export function writeRtpHeader(p: PacketBuffer, h: RtpHeaderFields): PacketBufferError | undefined {
  const csrcCount = Math.min(h.csrcCount, RTP_MAX_CSRC);
  const length = rtpHeaderLength(csrcCount);
  const err = p.ensureTailroom(length);
  if (err) return err;
  const b = p.bytes;
  const o = p.end;
  b[o] = (RTP_VERSION << 6) | csrcCount;
  b[o + 1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  writeU16(b, o + 2, h.sequenceNumber);
  writeU32(b, o + 4, h.timestamp | 0);
  writeU32(b, o + 8, h.ssrc | 0);
  for (let i = 0; i < csrcCount; i++) writeU32(b, o + 12 + 4 * i, h.csrc[i] | 0);
  p.end = o + length;
  return undefined;
}

/**
 * Appends a header extension (RFC 3550 §5.3.1) after a header written by writeRtpHeader, sets the
 * X bit at `headerStart` and zero-pads the data to a multiple of 4 octets.
 */
export function appendRtpHeaderExtension(
  p: PacketBuffer,
  headerStart: number,
  profile: number,
  data: Uint8Array,
  dataStart = 0,
  dataEnd = data.length,
): PacketBufferError | undefined {
  const dataLength = dataEnd - dataStart;
  const words = Math.ceil(dataLength / 4);
  const err = p.ensureTailroom(4 + 4 * words);
  if (err) return err;
  const b = p.bytes;
  const o = p.end;
  b[headerStart] |= 0x10;
  writeU16(b, o, profile);
  writeU16(b, o + 2, words);
  copyBytes(data, dataStart, dataEnd, b, o + 4);
  b.fill(0, o + 4 + dataLength, o + 4 + 4 * words);
  p.end = o + 4 + 4 * words;
  return undefined;
}

/**
 * Appends `count` padding octets (the last one holds the count) and sets the P bit at
 * `headerStart` (RFC 3550 §5.1). A count outside 1..255 is a caller bug and throws a RangeError.
 */
export function appendRtpPadding(p: PacketBuffer, headerStart: number, count: number): PacketBufferError | undefined {
  if (!Number.isInteger(count) || count < 1 || count > 255) {
    throw new RangeError(`RTP padding must be 1..255 octets, got ${count}`);
  }
  const err = p.ensureTailroom(count);
  if (err) return err;
  p.bytes.fill(0, p.end, p.end + count - 1);
  p.bytes[p.end + count - 1] = count;
  p.bytes[headerStart] |= 0x20;
  p.end += count;
  return undefined;
}
