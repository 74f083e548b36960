// libopus for tests in Node: the module file of the @evan/opus package compiled here (in the app,
// Vite inlines the same file into the renderer, src/renderer/media/libopus-module.ts), and real
// Opus packets of a known signal, encoded as a peer with in-band FEC sends them.
import { readFileSync } from 'node:fs';
import { LIBOPUS_IMPORTS, LibopusEncoder, OPUS_SET_BITRATE, OPUS_SET_INBAND_FEC, OPUS_SET_PACKET_LOSS_PERC, type LibopusExports } from './libopus';

const MODULE_FILE = new URL('../../../node_modules/@evan/opus/wasm/opus.wasm', import.meta.url);

let loading: Promise<LibopusExports> | null = null;

/** One libopus instance per test file (each decoder and encoder has its own state in it). */
export function loadLibopusForTests(): Promise<LibopusExports> {
  loading ??= WebAssembly.instantiate(readFileSync(MODULE_FILE), LIBOPUS_IMPORTS).then((r) => r.instance.exports as unknown as LibopusExports);
  return loading;
}

/**
 * Frame `index` (20 ms, 48 kHz) of a voiced, speech-like test signal: a gliding pitch with
 * harmonics, a syllable-rate envelope and a little deterministic noise, so neither the codec nor
 * a concealer can predict one frame from the last exactly.
 */
export function speechLikeFrame(index: number, samples = 960): Int16Array {
  const out = new Int16Array(samples);
  let noise = (index * 7919 + 17) >>> 0;
  for (let i = 0; i < samples; i++) {
    const t = (index * samples + i) / 48_000;
    const phase = 2 * Math.PI * (140 * t - (40 / (2 * Math.PI * 0.7)) * Math.cos(2 * Math.PI * 0.7 * t));
    let v = 0;
    for (let h = 1; h <= 8; h++) v += Math.sin(h * phase) / h;
    const envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 3.3 * t);
    noise = (Math.imul(noise, 1103515245) + 12345) >>> 0;
    out[i] = Math.round(6000 * envelope * v + ((noise >>> 16) % 600) - 300);
  }
  return out;
}

/** `frames` packets of the test signal from a 32 kbit/s VoIP encoder, in-band FEC on or off, sized for `lossPercent`. */
export function encodeTestPackets(lib: LibopusExports, frames: number, opts: { fec: boolean; lossPercent: number }): Uint8Array[] {
  const encoder = new LibopusEncoder(lib);
  encoder.set(OPUS_SET_BITRATE, 32_000);
  encoder.set(OPUS_SET_INBAND_FEC, opts.fec ? 1 : 0);
  encoder.set(OPUS_SET_PACKET_LOSS_PERC, opts.lossPercent);
  const packets: Uint8Array[] = [];
  for (let f = 0; f < frames; f++) {
    const p = encoder.encode(speechLikeFrame(f));
    if (typeof p === 'string') throw new Error(`encode: ${p}`);
    packets.push(p);
  }
  encoder.destroy();
  return packets;
}

/** Normalised correlation of two equally long sample runs (1: the same shape). */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}
