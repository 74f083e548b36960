// RIFF/WAVE parsing and the 44-byte PCM header (Microsoft RIFF spec, WAVE_FORMAT_PCM). Parsing is
// bounded: chunk sizes are checked against the file before anything is read.

export type WavError =
  | 'not-riff'
  | 'not-wave'
  | 'truncated-chunk'
  | 'no-fmt'
  | 'no-data'
  | 'unsupported-format';

export interface WavInfo {
  /** 1 = PCM, 6 = A-law, 7 = mu-law. */
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
  /** Offsets of the sample data in the parsed bytes (odd trailing bytes of a frame excluded). */
  dataStart: number;
  dataEnd: number;
}

export const WAV_HEADER_LENGTH = 44;
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;

function fourcc(b: Uint8Array, i: number, s: string): boolean {
  return b[i] === s.charCodeAt(0) && b[i + 1] === s.charCodeAt(1) && b[i + 2] === s.charCodeAt(2) && b[i + 3] === s.charCodeAt(3);
}

function u16le(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8);
}

function u32le(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

export function parseWav(b: Uint8Array): WavInfo | WavError {
  if (b.length < 12 || !fourcc(b, 0, 'RIFF')) return 'not-riff';
  if (!fourcc(b, 8, 'WAVE')) return 'not-wave';
  let fmt: Omit<WavInfo, 'dataStart' | 'dataEnd'> | undefined;
  let pos = 12;
  while (pos + 8 <= b.length) {
    const size = u32le(b, pos + 4);
    const body = pos + 8;
    if (fourcc(b, pos, 'fmt ')) {
      if (size < 16 || body + 16 > b.length) return 'truncated-chunk';
      fmt = {
        audioFormat: u16le(b, body),
        channels: u16le(b, body + 2),
        sampleRate: u32le(b, body + 4),
        blockAlign: u16le(b, body + 12),
        bitsPerSample: u16le(b, body + 14),
      };
    } else if (fourcc(b, pos, 'data')) {
      if (!fmt) return 'no-fmt';
      if (!isSupported(fmt)) return 'unsupported-format';
      // A writer that crashed leaves size 0 or too large: take what the file holds.
      const end = size === 0 || body + size > b.length ? b.length : body + size;
      const whole = end - ((end - body) % fmt.blockAlign);
      return { ...fmt, dataStart: body, dataEnd: whole };
    }
    if (body + size > b.length) return 'truncated-chunk';
    // Chunks are padded to an even size.
    pos = body + size + (size & 1);
  }
  return fmt ? 'no-data' : 'no-fmt';
}

function isSupported(f: Omit<WavInfo, 'dataStart' | 'dataEnd'>): boolean {
  if (f.channels < 1 || f.channels > 8 || f.sampleRate === 0) return false;
  if (f.audioFormat === WAVE_FORMAT_PCM) return f.bitsPerSample === 16 && f.blockAlign === 2 * f.channels;
  if (f.audioFormat === WAVE_FORMAT_ALAW || f.audioFormat === WAVE_FORMAT_MULAW) {
    return f.bitsPerSample === 8 && f.blockAlign === f.channels;
  }
  return false;
}

/** A 44-byte header for 16-bit PCM with `dataLength` bytes of samples. */
export function wavHeader(sampleRate: number, channels: number, dataLength: number): Uint8Array {
  const h = new Uint8Array(WAV_HEADER_LENGTH);
  const v = new DataView(h.buffer);
  h.set([0x52, 0x49, 0x46, 0x46], 0); // RIFF
  v.setUint32(4, 36 + dataLength, true);
  h.set([0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20], 8); // WAVEfmt
  v.setUint32(16, 16, true);
  v.setUint16(20, WAVE_FORMAT_PCM, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * 2, true);
  v.setUint16(32, channels * 2, true);
  v.setUint16(34, 16, true);
  h.set([0x64, 0x61, 0x74, 0x61], 36); // data
  v.setUint32(40, dataLength, true);
  return h;
}

/** The first channel of a 16-bit PCM WAV as samples (for tests and analysis). */
export function wavPcmSamples(b: Uint8Array, info: WavInfo): Int16Array {
  const frames = (info.dataEnd - info.dataStart) / info.blockAlign;
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    const at = info.dataStart + i * info.blockAlign;
    out[i] = (b[at] | (b[at + 1] << 8)) << 16 >> 16;
  }
  return out;
}
