// Goodbye (RFC 3550 §6.6).

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import { copyBytes, readU32, writeU32 } from '../rtp/bytes';
import { beginRtcpPacket, finishRtcpPacket, RTCP_BYE, RTCP_HEADER_LENGTH } from './header';
import type { RtcpPacketView, RtcpParseError } from './header';

export interface Bye {
  sourceCount: number;
  readonly sources: Uint32Array;
  /** Reason text offsets (equal when absent). */
  reasonStart: number;
  reasonEnd: number;
}

export function createBye(): Bye {
  return { sourceCount: 0, sources: new Uint32Array(31), reasonStart: 0, reasonEnd: 0 };
}

export function parseBye(bytes: Uint8Array, view: RtcpPacketView, out: Bye): RtcpParseError | undefined {
  let pos = view.start + RTCP_HEADER_LENGTH;
  if (pos + 4 * view.count > view.bodyEnd) return 'truncated-body';
  out.sourceCount = view.count;
  for (let i = 0; i < view.count; i++, pos += 4) out.sources[i] = readU32(bytes, pos);
  out.reasonStart = out.reasonEnd = pos;
  if (pos < view.bodyEnd) {
    const length = bytes[pos];
    if (pos + 1 + length > view.bodyEnd) return 'truncated-body';
    out.reasonStart = pos + 1;
    out.reasonEnd = pos + 1 + length;
  }
  return undefined;
}

/** Appends a BYE for one SSRC, with an optional reason (at most 255 bytes). */
export function writeBye(p: PacketBuffer, ssrc: number, reason?: Uint8Array): PacketBufferError | undefined {
  const reasonLength = reason ? Math.min(reason.length, 255) : 0;
  const body = 4 + (reason ? Math.ceil((1 + reasonLength) / 4) * 4 : 0);
  const err = beginRtcpPacket(p, 1, RTCP_BYE, body);
  if (err) return err;
  const start = p.end;
  const b = p.bytes;
  const pos = start + RTCP_HEADER_LENGTH;
  writeU32(b, pos, ssrc | 0);
  if (reason) {
    b[pos + 4] = reasonLength;
    copyBytes(reason, 0, reasonLength, b, pos + 5);
    b.fill(0, pos + 5 + reasonLength, pos + body);
  }
  p.end = pos + body;
  finishRtcpPacket(p, start);
  return undefined;
}
