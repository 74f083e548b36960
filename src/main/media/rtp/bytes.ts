// Big-endian reads and writes on a Uint8Array at an absolute offset: no DataView per packet.

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';

export function readU16(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}

export function readU24(b: Uint8Array, i: number): number {
  return (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
}

export function readU32(b: Uint8Array, i: number): number {
  return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
}

export function writeU16(b: Uint8Array, i: number, v: number): void {
  b[i] = v >>> 8;
  b[i + 1] = v;
}

export function writeU24(b: Uint8Array, i: number, v: number): void {
  b[i] = v >>> 16;
  b[i + 1] = v >>> 8;
  b[i + 2] = v;
}

/**
 * Writes `v` (unsigned, or its signed pattern `v | 0`: the same bytes). Packet writers pass
 * `x | 0`: a value of 2^31 or more would be boxed on the heap whenever V8 did not inline this call.
 */
export function writeU32(b: Uint8Array, i: number, v: number): void {
  b[i] = v >>> 24;
  b[i + 1] = v >>> 16;
  b[i + 2] = v >>> 8;
  b[i + 3] = v;
}

/**
 * Copies `src[srcStart, srcEnd)` to `dst` at `dstStart`. A loop rather than `set(subarray())`:
 * subarray makes a view object per call, and per-packet code allocates nothing.
 */
export function copyBytes(src: Uint8Array, srcStart: number, srcEnd: number, dst: Uint8Array, dstStart: number): void {
  for (let i = srcStart, j = dstStart; i < srcEnd; i++, j++) dst[j] = src[i];
}

/** Appends `src[srcStart, srcEnd)` at `p.end` (e.g. an encoded frame as the RTP payload). */
export function appendBytes(p: PacketBuffer, src: Uint8Array, srcStart: number, srcEnd: number): PacketBufferError | undefined {
  const err = p.ensureTailroom(srcEnd - srcStart);
  if (err) return err;
  copyBytes(src, srcStart, srcEnd, p.bytes, p.end);
  p.end += srcEnd - srcStart;
  return undefined;
}
