// Source description (RFC 3550 §6.5): only CNAME matters to us (§6.5.1, mandatory in every
// compound packet); other items are skipped, bounded by the packet.

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import { copyBytes, readU32, writeU32 } from '../rtp/bytes';
import { beginRtcpPacket, finishRtcpPacket, RTCP_HEADER_LENGTH, RTCP_SDES } from './header';
import type { RtcpPacketView, RtcpParseError } from './header';

export const SDES_END = 0;
export const SDES_CNAME = 1;
const MAX_CHUNKS = 31;

/** One chunk's SSRC and where its CNAME text sits (cnameStart === cnameEnd: no CNAME). */
export interface SdesChunk {
  ssrc: number;
  cnameStart: number;
  cnameEnd: number;
}

export interface Sdes {
  chunkCount: number;
  readonly chunks: SdesChunk[];
}

export function createSdes(): Sdes {
  return { chunkCount: 0, chunks: Array.from({ length: MAX_CHUNKS }, () => ({ ssrc: 0, cnameStart: 0, cnameEnd: 0 })) };
}

export function parseSdes(bytes: Uint8Array, view: RtcpPacketView, out: Sdes): RtcpParseError | undefined {
  let pos = view.start + RTCP_HEADER_LENGTH;
  const end = view.bodyEnd;
  out.chunkCount = 0;
  for (let c = 0; c < view.count; c++) {
    if (pos + 4 > end) return 'truncated-body';
    const chunk = out.chunks[c];
    chunk.ssrc = readU32(bytes, pos);
    chunk.cnameStart = chunk.cnameEnd = 0;
    pos += 4;
    // Items until a null octet; the chunk then pads to the next 32-bit boundary.
    while (true) {
      if (pos >= end) return 'truncated-body';
      const type = bytes[pos];
      if (type === SDES_END) break;
      if (pos + 2 > end) return 'truncated-body';
      const length = bytes[pos + 1];
      if (pos + 2 + length > end) return 'truncated-body';
      if (type === SDES_CNAME) {
        chunk.cnameStart = pos + 2;
        chunk.cnameEnd = pos + 2 + length;
      }
      pos += 2 + length;
    }
    pos = view.start + Math.ceil((pos + 1 - view.start) / 4) * 4;
    out.chunkCount++;
  }
  return undefined;
}

/** Appends an SDES packet with one chunk holding a CNAME of at most 255 bytes (UTF-8 encoded). */
export function writeSdesCname(p: PacketBuffer, ssrc: number, cname: Uint8Array): PacketBufferError | undefined {
  const length = Math.min(cname.length, 255);
  // SSRC, CNAME item, then at least one null octet, padded to a multiple of 4.
  const chunkLength = Math.ceil((4 + 2 + length + 1) / 4) * 4;
  const err = beginRtcpPacket(p, 1, RTCP_SDES, chunkLength);
  if (err) return err;
  const start = p.end;
  const b = p.bytes;
  const pos = start + RTCP_HEADER_LENGTH;
  writeU32(b, pos, ssrc | 0);
  b[pos + 4] = SDES_CNAME;
  b[pos + 5] = length;
  copyBytes(cname, 0, length, b, pos + 6);
  b.fill(0, pos + 6 + length, pos + chunkLength);
  p.end = pos + chunkLength;
  finishRtcpPacket(p, start);
  return undefined;
}
