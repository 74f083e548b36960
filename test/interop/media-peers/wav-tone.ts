// Tones in WAV files for peers that play a file (baresip's aufile) and the check that a recorded
// WAV holds the tone sent from the other end.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseWav, wavHeader, wavPcmSamples } from '../../../src/main/media/sources';
import { dominantFrequency } from '../../../src/main/media/sources/test-support';

/** An 8 kHz mono 16-bit WAV holding a sine of `hz` for `seconds`. */
export function writeToneWav(path: string, hz: number, seconds: number): void {
  const samples = new Int16Array(8000 * seconds);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000));
  const data = new Uint8Array(samples.buffer);
  const out = new Uint8Array(44 + data.length);
  out.set(wavHeader(8000, 1, data.length), 0);
  out.set(data, 44);
  writeFileSync(path, out);
}

/** The strongest frequency in the middle half second of a recorded WAV, or an error string. */
export function recordedToneHz(path: string): number | string {
  const bytes = new Uint8Array(readFileSync(path));
  const info = parseWav(bytes);
  if (typeof info === 'string') return `${path}: ${info}`;
  const pcm = wavPcmSamples(bytes, info);
  if (pcm.length < info.sampleRate) return `${path}: only ${pcm.length} samples`;
  const mid = Math.floor(pcm.length / 2);
  return dominantFrequency(pcm.subarray(mid - 2000, mid + 2000), info.sampleRate, 200, 3000);
}
