// The committed icons are what scripts/make-icons.ts draws, and the .ico / .icns hold the sizes
// Windows and macOS look for, each entry a PNG of the size it claims.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeIcns, encodeIco, encodePng, ICNS_PNG_TYPES, readIcns, readIco, readPngHeader } from '../../scripts/icon-formats';
import { ICNS_ENTRIES, ICO_SIZES, iconPng, PNG_SIZES } from '../../scripts/make-icons';

const assets = resolve(import.meta.dirname, '../../assets');
const read = (path: string) => readFileSync(join(assets, path));

describe('committed icons', () => {
  it('has an RGBA PNG per size, as large as its name says', () => {
    expect(PNG_SIZES).toEqual([16, 24, 32, 48, 64, 128, 256, 512, 1024]);
    for (const size of PNG_SIZES) expect(readPngHeader(read(`icons/${size}x${size}.png`)), `${size}`).toEqual({ width: size, height: size, bitDepth: 8, colourType: 6 });
  });

  it('are the bytes scripts/make-icons.ts draws (npm run icons after changing the drawing)', () => {
    // The small sizes: they take milliseconds, and share every line of the drawing with the large.
    for (const size of [16, 24, 32, 48, 64]) expect(iconPng(size).equals(read(`icons/${size}x${size}.png`)), `${size}x${size}.png`).toBe(true);
  });

  it('icon.ico holds 16–256 px PNG entries, each the size its directory entry declares', () => {
    const entries = readIco(read('icon.ico'));
    if ('error' in entries) throw new Error(entries.error);
    expect(entries.map((e) => e.declaredWidth)).toEqual([...ICO_SIZES]);
    for (const e of entries) {
      expect(e.bitsPerPixel).toBe(32);
      expect(readPngHeader(e.image)).toMatchObject({ width: e.declaredWidth, height: e.declaredHeight });
      expect(Buffer.from(e.image).equals(read(`icons/${e.declaredWidth}x${e.declaredWidth}.png`))).toBe(true);
    }
  });

  it('icon.icns holds the iconset entries, 16 to 1024 px, each a PNG of its type’s size', () => {
    const entries = readIcns(read('icon.icns'));
    if ('error' in entries) throw new Error(entries.error);
    expect(entries.map((e) => e.type)).toEqual(ICNS_ENTRIES.map(([type]) => type));
    for (const { type, data } of entries) expect(readPngHeader(data), type).toMatchObject({ width: ICNS_PNG_TYPES[type], height: ICNS_PNG_TYPES[type] });
  });
});

describe('icon containers', () => {
  const tinyPng = (w: number, h: number) => encodePng(w, h, new Uint8Array(w * h * 4).fill(0x80));

  it('PNG: a one-bit change in IHDR fails its CRC', () => {
    const png = tinyPng(3, 2);
    expect(readPngHeader(png)).toEqual({ width: 3, height: 2, bitDepth: 8, colourType: 6 });
    png[19] ^= 1;
    expect(readPngHeader(png)).toEqual({ error: 'bad-crc' });
  });

  it('ICO and ICNS round-trip their entries', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 256 }), { minLength: 1, maxLength: 4 }), (sizes) => {
        const pngs = sizes.map((s) => tinyPng(s, s));
        const ico = readIco(encodeIco(pngs));
        if ('error' in ico) return false;
        expect(ico.map((e) => e.declaredWidth)).toEqual(sizes);
        expect(ico.map((e) => Buffer.from(e.image).equals(pngs[ico.indexOf(e)]))).not.toContain(false);
        const icns = readIcns(encodeIcns(pngs.map((png) => ({ type: 'ic07', png }))));
        if ('error' in icns) return false;
        expect(icns.map((e) => readPngHeader(e.data))).toMatchObject(sizes.map((s) => ({ width: s })));
        return true;
      }),
      { numRuns: 50 },
    );
  });

  it('readers answer arbitrary bytes with entries or a typed error, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.constantFrom('', 'icns', '\0\0\x01\0', '\x89PNG\r\n\x1a\n'), (tail, magic) => {
        const bytes = Buffer.concat([Buffer.from(magic, 'latin1'), tail]);
        for (const result of [readPngHeader(bytes), readIco(bytes), readIcns(bytes)]) expect(Array.isArray(result) || typeof result === 'object').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
