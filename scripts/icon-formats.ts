// The three icon containers a desktop package needs, written and read without any image tool:
// PNG (ISO/IEC 15948 / W3C PNG 2nd ed.), Windows ICO with PNG entries (what Windows Vista and
// later read for 256 px icons) and Apple ICNS with PNG entries (what iconutil writes).
// The readers are for the packaging test: bad input gives a typed error, never a throw.
import { crc32 as zlibCrc32, deflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** CRC-32 over a chunk's type and data (PNG 2nd ed. §5.5, Annex D): zlib's, the same CRC. */
function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA (colour type 6) non-interlaced PNG of `rgba` (width × height × 4 bytes). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`encodePng: ${rgba.length} bytes for ${width}x${height}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, RGBA, deflate, adaptive filtering, no interlace
  // Each scanline starts with its filter type; "Sub" (1) suits smooth gradients (§9.2).
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    raw[row] = 1;
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? rgba[y * stride + x - 4] : 0;
      raw[row + 1 + x] = (rgba[y * stride + x] - left) & 0xff;
    }
  }
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', new Uint8Array(0))]);
}

export type ImageInfo = { width: number; height: number; bitDepth: number; colourType: number };
export type IconReadError = { error: 'truncated' | 'bad-signature' | 'bad-header' | 'bad-crc' | 'bad-entry' };

/** Width, height, bit depth and colour type from a PNG's IHDR, its CRC checked (§11.2.2). */
export function readPngHeader(png: Uint8Array): ImageInfo | IconReadError {
  if (png.length < 33) return { error: 'truncated' };
  const b = Buffer.from(png.buffer, png.byteOffset, png.length);
  if (!b.subarray(0, 8).equals(PNG_SIGNATURE)) return { error: 'bad-signature' };
  if (b.readUInt32BE(8) !== 13 || b.toString('latin1', 12, 16) !== 'IHDR') return { error: 'bad-header' };
  if (crc32(b.subarray(12, 29)) !== b.readUInt32BE(29)) return { error: 'bad-crc' };
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), bitDepth: b[24], colourType: b[25] };
}

/**
 * A Windows .ico whose images are PNGs. ICONDIR then one 16-byte ICONDIRENTRY per image; a
 * width or height of 256 is written as 0 (Microsoft, "Icons" / ICONDIRENTRY).
 */
export function encodeIco(pngs: readonly Uint8Array[]): Buffer {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach((png, i) => {
    const info = readPngHeader(png);
    if ('error' in info || info.width > 256 || info.height > 256) throw new Error('encodeIco: entries are PNGs of at most 256 px');
    const e = 6 + 16 * i;
    header[e] = info.width & 0xff;
    header[e + 1] = info.height & 0xff;
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...pngs]);
}

export type IcoEntry = { declaredWidth: number; declaredHeight: number; bitsPerPixel: number; image: Uint8Array };

export function readIco(ico: Uint8Array): IcoEntry[] | IconReadError {
  if (ico.length < 6) return { error: 'truncated' };
  const b = Buffer.from(ico.buffer, ico.byteOffset, ico.length);
  if (b.readUInt16LE(0) !== 0 || b.readUInt16LE(2) !== 1) return { error: 'bad-signature' };
  const count = b.readUInt16LE(4);
  if (b.length < 6 + 16 * count) return { error: 'truncated' };
  const entries: IcoEntry[] = [];
  for (let i = 0; i < count; i++) {
    const e = 6 + 16 * i;
    const size = b.readUInt32LE(e + 8);
    const offset = b.readUInt32LE(e + 12);
    if (offset + size > b.length || offset < 6 + 16 * count) return { error: 'bad-entry' };
    entries.push({ declaredWidth: b[e] || 256, declaredHeight: b[e + 1] || 256, bitsPerPixel: b.readUInt16LE(e + 6), image: b.subarray(offset, offset + size) });
  }
  return entries;
}

/**
 * ICNS types holding PNG data and their pixel size, as iconutil writes them (Apple's icns type
 * list; ic11–ic14 are the @2x variants of 16, 32, 128 and 256 pt).
 */
export const ICNS_PNG_TYPES: Readonly<Record<string, number>> = {
  icp4: 16,
  icp5: 32,
  ic11: 32,
  icp6: 64,
  ic12: 64,
  ic07: 128,
  ic08: 256,
  ic13: 256,
  ic09: 512,
  ic14: 512,
  ic10: 1024,
};

/** An .icns: the 'icns' magic and total length, then type + length (header included) + data. */
export function encodeIcns(entries: readonly { type: string; png: Uint8Array }[]): Buffer {
  const parts = entries.map(({ type, png }) => {
    if (!(type in ICNS_PNG_TYPES)) throw new Error(`encodeIcns: ${type} is not a PNG icns type`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

export function readIcns(icns: Uint8Array): { type: string; data: Uint8Array }[] | IconReadError {
  if (icns.length < 8) return { error: 'truncated' };
  const b = Buffer.from(icns.buffer, icns.byteOffset, icns.length);
  if (b.toString('latin1', 0, 4) !== 'icns') return { error: 'bad-signature' };
  if (b.readUInt32BE(4) !== b.length) return { error: 'bad-header' };
  const entries: { type: string; data: Uint8Array }[] = [];
  for (let at = 8; at < b.length; ) {
    if (at + 8 > b.length) return { error: 'truncated' };
    const length = b.readUInt32BE(at + 4);
    if (length < 8 || at + length > b.length) return { error: 'bad-entry' };
    entries.push({ type: b.toString('latin1', at, at + 4), data: b.subarray(at + 8, at + length) });
    at += length;
  }
  return entries;
}
