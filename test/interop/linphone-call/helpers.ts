// Helpers for full Vouch calls (AppCore) with linphonec as the peer: a tone WAV for linphonec to
// play, the dominant frequency of a recorded WAV, and the stdout lines linphonec prints per call.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseIvf, parseWav, vp8KeyframeSize, wavHeader, wavPcmSamples } from '../../../src/main/media/sources';
import { dominantFrequency, rms } from '../../../src/main/media/sources/test-support';

/** Writes a 16-bit mono PCM sine tone (linphonec's `play` file: its microphone in these tests). */
export function writeToneWav(path: string, frequencyHz: number, seconds: number, sampleRate = 8000): void {
  const samples = new Int16Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate));
  const data = new Uint8Array(samples.buffer);
  const file = new Uint8Array(44 + data.length);
  file.set(wavHeader(sampleRate, 1, data.length));
  file.set(data, 44);
  writeFileSync(path, file);
}

export interface RecordedTone {
  readonly seconds: number;
  readonly dominantHz: number;
  readonly rms: number;
}

/** The dominant frequency and level of a recorded WAV's loud part (silence before RTP flows trimmed). */
export function recordedTone(path: string): RecordedTone | string {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    return `cannot read ${path}: ${(e as Error).message}`;
  }
  const info = parseWav(bytes);
  if (typeof info === 'string') return `${path}: ${info}`;
  const all = wavPcmSamples(bytes, info);
  // Drop leading silence (before the first RTP packet) so the analysed block is the tone.
  let first = 0;
  while (first < all.length && Math.abs(all[first]) < 200) first++;
  const samples = all.subarray(first);
  if (samples.length < 1024) return `${path}: only ${samples.length} non-silent samples of ${all.length}`;
  return { seconds: all.length / info.sampleRate, dominantHz: dominantFrequency(samples, info.sampleRate), rms: rms(samples) };
}

/** linphonec's line once ZRTP is done: `Call 1 is fully encrypted and auth token is 4xfk.` */
export const authToken = (n: number): RegExp => new RegExp(`Call ${n} is fully encrypted and auth token is (\\S+?)\\.?\\s*$`, 'm');
/**
 * A SAS from linphonec as Vouch writes it: bzrtp joins B256's two PGP words with ':', Vouch's API
 * (SecurityInfo.sas) with a space; B32 is the same on both.
 */
export const sasFromBzrtp = (token: string): string => token.replace(':', ' ');
export const callEnded = (n: number): RegExp => new RegExp(`Call ${n} with .* ended`, 'm');
export const callConnected = (n: number): RegExp => new RegExp(`Call ${n} with .* connected`, 'm');

export interface LinphoneAlgorithms {
  readonly cipher: string;
  readonly keyAgreement: string;
  readonly hash: string;
  readonly authTag: string;
  readonly sasType: string;
}

/** bzrtp's names (its log) mapped to RFC 6189's (§5.1.2-§5.1.6); unknown names pass through. */
const BZRTP_NAMES: Record<string, string> = {
  'AES-128': 'AES1',
  'AES-256': 'AES3',
  'DHM-2048': 'DH2k',
  'DHM-3072': 'DH3k',
  'ECDH-256': 'EC25',
  'ECDH-384': 'EC38',
  // bzrtp logs X25519 as ECDH-255 and X448 as ECDH-448.
  'ECDH-255': 'X255',
  'ECDH-448': 'X448',
  'SHA-256': 'S256',
  'SHA-384': 'S384',
  'HMAC-SHA1-32': 'HS32',
  'HMAC-SHA1-80': 'HS80',
  Base32: 'B32',
  PGP: 'B256',
  'PGP-WordList': 'B256',
};

/**
 * The algorithms linphonec's bzrtp settled on, from its log line "ZRTP algo used during
 * negotiation: Cipher: AES-128 - KeyAgreement: DHM-3072 - Hash: SHA-256 - AuthTag: HMAC-SHA1-80 -
 * Sas Rendering: Base32" (the last such line in `log`).
 */
export function linphoneAlgorithms(log: string): LinphoneAlgorithms | undefined {
  const lines = [...log.matchAll(/ZRTP algo used during negotiation: Cipher: (\S+) - KeyAgreement: (\S+) - Hash: (\S+) - AuthTag: (\S+) - Sas Rendering: (\S+)/g)];
  const m = lines.at(-1);
  if (!m) return undefined;
  const name = (s: string) => BZRTP_NAMES[s] ?? s;
  return { cipher: name(m[1]), keyAgreement: name(m[2]), hash: name(m[3]), authTag: name(m[4]), sasType: name(m[5]) };
}

/** Polls a growing log (linphonec's debug file) until `pattern` matches after offset `from`. */
export async function waitForLog(log: () => string, pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = log().slice(from).match(pattern);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`linphonec log: no ${pattern} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The size of every VP8 keyframe in a received IVF file (Vouch's video sink). */
export function ivfKeyframeSizes(path: string): string[] | string {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    return `cannot read ${path}: ${(e as Error).message}`;
  }
  const info = parseIvf(bytes);
  if (typeof info === 'string') return `${path}: ${info}`;
  const sizes: string[] = [];
  for (let i = 0; i < info.frameStarts.length; i++) {
    const size = vp8KeyframeSize(bytes, info.frameStarts[i], info.frameStarts[i] + info.frameLengths[i]);
    if (size) sizes.push(`${size.width}x${size.height}`);
  }
  return sizes;
}

/** Lines of linphonec's log that report an SRTP problem (none in a good call). */
export function srtpProblems(log: string): string[] {
  return log.split('\n').filter((l) => /srtp/i.test(l) && /(error|fail|warning)/i.test(l));
}

/**
 * `recordedTone` once the file is complete: a WAV sink fixes its header sizes when the call's
 * media closes, which can come a moment after the call's end event.
 */
export async function finishedRecording(path: string, timeoutMs = 3000): Promise<RecordedTone> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = recordedTone(path);
    if (typeof r !== 'string') return r;
    if (Date.now() > deadline) throw new Error(r);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The id linphonec gave its latest call ("... assigned id 3"), 0 before any. */
export function lastLinphoneCallId(stdout: string): number {
  const ids = [...stdout.matchAll(/assigned id (\d+)/g)];
  return ids.length ? Number(ids[ids.length - 1][1]) : 0;
}
