// IVF, libvpx's container for VP8: a 32-byte file header ("DKIF", version 0, header length,
// FourCC, width, height, timebase rate and scale, frame count) and 12-byte frame headers (size,
// 64-bit pts), all little-endian. The parser bounds every frame by the file.

export const IVF_FILE_HEADER_LENGTH = 32;
export const IVF_FRAME_HEADER_LENGTH = 12;

export type IvfError = 'not-ivf' | 'bad-header-length' | 'not-vp8' | 'no-frames';

export interface IvfInfo {
  width: number;
  height: number;
  /** Timebase: pts units are `timebaseNumerator / timebaseDenominator` seconds. */
  timebaseDenominator: number;
  timebaseNumerator: number;
  /** Offsets and pts of every whole frame (a truncated last frame is left out). */
  frameStarts: Int32Array;
  frameLengths: Int32Array;
  framePts: Float64Array;
}

function u16le(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8);
}

function u32le(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

export function parseIvf(b: Uint8Array): IvfInfo | IvfError {
  if (b.length < IVF_FILE_HEADER_LENGTH || b[0] !== 0x44 || b[1] !== 0x4b || b[2] !== 0x49 || b[3] !== 0x46) return 'not-ivf';
  const headerLength = u16le(b, 6);
  if (headerLength < IVF_FILE_HEADER_LENGTH || headerLength > b.length) return 'bad-header-length';
  if (b[8] !== 0x56 || b[9] !== 0x50 || b[10] !== 0x38 || b[11] !== 0x30) return 'not-vp8';
  const starts: number[] = [];
  const lengths: number[] = [];
  const pts: number[] = [];
  let pos = headerLength;
  while (pos + IVF_FRAME_HEADER_LENGTH <= b.length) {
    const size = u32le(b, pos);
    const start = pos + IVF_FRAME_HEADER_LENGTH;
    if (size === 0 || start + size > b.length) break;
    starts.push(start);
    lengths.push(size);
    pts.push(u32le(b, pos + 4) + u32le(b, pos + 8) * 0x100000000);
    pos = start + size;
  }
  if (starts.length === 0) return 'no-frames';
  return {
    width: u16le(b, 12),
    height: u16le(b, 14),
    timebaseDenominator: u32le(b, 16),
    timebaseNumerator: u32le(b, 20),
    frameStarts: Int32Array.from(starts),
    frameLengths: Int32Array.from(lengths),
    framePts: Float64Array.from(pts),
  };
}

/** An IVF file header for VP8 with `frameCount` frames and a pts timebase of 1/`rate` s. */
export function ivfFileHeader(width: number, height: number, rate: number, scale: number, frameCount: number): Uint8Array {
  const h = new Uint8Array(IVF_FILE_HEADER_LENGTH);
  const v = new DataView(h.buffer);
  h.set([0x44, 0x4b, 0x49, 0x46], 0); // DKIF
  v.setUint16(4, 0, true);
  v.setUint16(6, IVF_FILE_HEADER_LENGTH, true);
  h.set([0x56, 0x50, 0x38, 0x30], 8); // VP80
  v.setUint16(12, width, true);
  v.setUint16(14, height, true);
  v.setUint32(16, rate, true);
  v.setUint32(20, scale, true);
  v.setUint32(24, frameCount, true);
  return h;
}

/** Writes a frame header into `out` at 0. */
export function writeIvfFrameHeader(out: Uint8Array, size: number, pts: number): void {
  const v = new DataView(out.buffer, out.byteOffset, IVF_FRAME_HEADER_LENGTH);
  v.setUint32(0, size, true);
  v.setUint32(4, pts % 0x100000000, true);
  v.setUint32(8, Math.floor(pts / 0x100000000), true);
}

/**
 * Width and height from a VP8 key frame (RFC 6386 §9.1: 3-byte frame tag, start code 9d 01 2a,
 * then 14-bit width and height with 2-bit scaling each), or undefined for other frames.
 */
export function vp8KeyframeSize(b: Uint8Array, start: number, end: number): { width: number; height: number } | undefined {
  if (end - start < 10 || (b[start] & 0x01) !== 0) return undefined;
  if (b[start + 3] !== 0x9d || b[start + 4] !== 0x01 || b[start + 5] !== 0x2a) return undefined;
  return { width: u16le(b, start + 6) & 0x3fff, height: u16le(b, start + 8) & 0x3fff };
}
