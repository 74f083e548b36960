// `npm run icons`: draws the Vouch icon (a white telephone handset on a teal rounded square) at
// every size the packages need and writes assets/icons/NxN.png, assets/icon.ico and
// assets/icon.icns. The one source is the geometry below, drawn with anti-aliasing by
// supersampling, so no image tool (ImageMagick, png2icns) is needed and the output is the same
// bytes on every machine; test/packaging/icons.test.ts checks the committed files are.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeIcns, encodeIco, encodePng } from './icon-formats';

/** Linux hicolor sizes (electron-builder reads a directory of NxN.png) plus 1024 for macOS. */
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
/** Windows shell sizes; 256 is the largest an .ico entry may be. */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** The entries iconutil writes for a full .iconset (16–512 pt at 1x and 2x). */
export const ICNS_ENTRIES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
] as const;

// --- Geometry, in units of the icon's side (0..1, y down). Signed distances: < 0 is inside.

type Point = { x: number; y: number };

function roundedBox(p: Point, cx: number, cy: number, halfW: number, halfH: number, radius: number): number {
  const qx = Math.abs(p.x - cx) - (halfW - radius);
  const qy = Math.abs(p.y - cy) - (halfH - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** `p` in the frame turned by `angle` about (cx, cy). */
function turned(p: Point, cx: number, cy: number, angle: number): Point {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const dx = p.x - cx;
  const dy = p.y - cy;
  return { x: cx + c * dx + s * dy, y: cy - s * dx + c * dy };
}

const BACKGROUND = { margin: 0.04, radius: 0.22 };
// The handset: an arch (part of a ring) with an ear pad and a mouth pad at its feet.
const ARCH = { cx: 0.5, cy: 0.64, radius: 0.26, halfWidth: 0.075, halfSpan: (72 * Math.PI) / 180 };
const PAD = { halfRadial: 0.13, halfTangent: 0.09, radius: 0.065, outset: 0.03 };

function backgroundDistance(p: Point): number {
  const half = 0.5 - BACKGROUND.margin;
  return roundedBox(p, 0.5, 0.5, half, half, BACKGROUND.radius);
}

function handsetDistance(p: Point): number {
  const dx = p.x - ARCH.cx;
  const dy = p.y - ARCH.cy;
  // Angle from straight up; the arch spans ±halfSpan, its ends are rounded.
  const fromUp = Math.atan2(dx, -dy);
  let arch: number;
  if (Math.abs(fromUp) <= ARCH.halfSpan) arch = Math.abs(Math.hypot(dx, dy) - ARCH.radius) - ARCH.halfWidth;
  else {
    const end = Math.sign(fromUp) * ARCH.halfSpan;
    arch = Math.hypot(dx - Math.sin(end) * ARCH.radius, dy + Math.cos(end) * ARCH.radius) - ARCH.halfWidth;
  }
  let pads = Infinity;
  for (const side of [-1, 1]) {
    // Each pad (ear cup, mouthpiece) lies across the arch's foot, long along the radius there.
    const a = side * ARCH.halfSpan;
    const r = ARCH.radius + PAD.outset;
    const fx = ARCH.cx + Math.sin(a) * r;
    const fy = ARCH.cy - Math.cos(a) * r;
    const local = turned(p, fx, fy, a);
    pads = Math.min(pads, roundedBox(local, fx, fy, PAD.halfTangent, PAD.halfRadial, PAD.radius));
  }
  return Math.min(arch, pads);
}

const TOP = [38, 166, 154];
const BOTTOM = [0, 105, 92];

/** The icon at `size` px as straight-alpha RGBA, each pixel the mean of samples × samples points. */
export function renderIcon(size: number): Uint8Array {
  const samples = size <= 64 ? 8 : size <= 256 ? 4 : 3;
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let alpha = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const p = { x: (px + (sx + 0.5) / samples) / size, y: (py + (sy + 0.5) / samples) / size };
          if (backgroundDistance(p) > 0) continue;
          alpha++;
          if (handsetDistance(p) <= 0) {
            r += 255;
            g += 255;
            b += 255;
          } else {
            const t = Math.min(1, Math.max(0, (p.y - BACKGROUND.margin) / (1 - 2 * BACKGROUND.margin)));
            r += TOP[0] + (BOTTOM[0] - TOP[0]) * t;
            g += TOP[1] + (BOTTOM[1] - TOP[1]) * t;
            b += TOP[2] + (BOTTOM[2] - TOP[2]) * t;
          }
        }
      }
      const o = (py * size + px) * 4;
      if (alpha === 0) continue;
      rgba[o] = Math.round(r / alpha);
      rgba[o + 1] = Math.round(g / alpha);
      rgba[o + 2] = Math.round(b / alpha);
      rgba[o + 3] = Math.round((255 * alpha) / (samples * samples));
    }
  }
  return rgba;
}

export function iconPng(size: number): Buffer {
  return encodePng(size, size, renderIcon(size));
}

export function writeIcons(assetsDir: string): string[] {
  const pngs = new Map(PNG_SIZES.map((size) => [size, iconPng(size)]));
  const written: string[] = [];
  const write = (path: string, data: Uint8Array) => {
    writeFileSync(path, data);
    written.push(path);
  };
  mkdirSync(join(assetsDir, 'icons'), { recursive: true });
  for (const [size, png] of pngs) write(join(assetsDir, 'icons', `${size}x${size}.png`), png);
  write(join(assetsDir, 'icon.ico'), encodeIco(ICO_SIZES.map((size) => pngs.get(size)!)));
  write(join(assetsDir, 'icon.icns'), encodeIcns(ICNS_ENTRIES.map(([type, size]) => ({ type, png: pngs.get(size)! }))));
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const path of writeIcons(fileURLToPath(new URL('../assets', import.meta.url)))) console.log(`wrote ${path}`);
}
