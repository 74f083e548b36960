// A `vouch` CLI run inside a lab namespace (through the tsx loader, as test/interop/vouch-cli.test.ts
// runs it), with its JSON lines collected and awaited. Each gets its own data dir.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { Lab, LabProcess, Role } from './lab';
import type { StreamStats } from '../../../src/shared/api';
import { parseWav, wavPcmSamples } from '../../../src/main/media/sources';
import { dominantFrequency } from '../../../src/main/media/sources/test-support';
import { LineLog, parseLine } from '../json-lines';
import type { Line } from '../json-lines';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

export type { Line } from '../json-lines';

export interface VouchNs {
  process: LabProcess;
  lines: Line[];
  /** performance.now() when each line arrived (same index as `lines`). */
  times: number[];
  dataDir: string;
  recordDir: string;
  exited: Promise<number>;
  next(pred: (l: Line) => boolean, ms?: number): Promise<Line>;
  stop(): Promise<void>;
}

/**
 * Starts Vouch CLIs in the two homes (ha behind router ra, hb behind rb) for the tests of the
 * describe block this is called in: after each test, the CLIs it started are stopped and both
 * routers are cone NATs again. `suite` gives the lab and the base directory (set in beforeAll).
 */
export function homeVouches(suite: () => { lab: Lab; dir: string }): (role: 'ha' | 'hb', name: string, args: string[]) => VouchNs {
  const running: VouchNs[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((v) => v.stop()));
    const { lab } = suite();
    lab.setNat('ra', 'cone');
    lab.setNat('rb', 'cone');
  });
  let runs = 0;
  return (role, name, args) => {
    const { lab, dir } = suite();
    const v = startVouch(lab, role, `${name}-${runs++}`, dir, args);
    running.push(v);
    return v;
  };
}

/** Writes a 0600 password file (secrets never go on a command line). */
export function passwordFile(dir: string, password: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'password');
  writeFileSync(path, password, { mode: 0o600 });
  return path;
}

export function startVouch(lab: Lab, role: Role, name: string, baseDir: string, args: string[]): VouchNs {
  const dataDir = join(baseDir, `${name}-data`);
  const recordDir = join(baseDir, `${name}-rec`);
  const log = new LineLog(() => performance.now());
  const proc = lab.spawn(role, process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', ...args, '--data-dir', dataDir, '--record-dir', recordDir], {
    cwd: REPO,
    onLine: (text) => {
      const l = text.startsWith('{') ? parseLine(text) : undefined;
      if (l) log.push(l);
    },
  });
  const got = (describe: (l: Line) => string): string => `got ${log.lines.map(describe).join(',')}\n${proc.output().slice(-2000)}`;
  return {
    process: proc,
    lines: log.lines,
    times: log.times,
    dataDir,
    recordDir,
    exited: proc.exited,
    next: (pred, ms = 15_000) =>
      log.next(pred, ms, {
        timeout: () => new Error(`${name}: timed out; ${got((l) => `${l.event}${l.state ? `:${String(l.state)}` : ''}`)}`),
        gone: proc.exited.then(() => new Promise((r) => setTimeout(r, 50))).then(() => new Error(`${name} exited; ${got((l) => l.event)}`)),
      }),
    stop: () => proc.stop(),
  };
}

export const isSecure = (l: Line): boolean => l.event === 'security' && l.state === 'secure';
export const isListening = (l: Line): boolean => l.event === 'listening';
/** A `path` line (ICE's working or selected pair) of the audio stream. */
export const isAudioPath = (l: Line): boolean => l.event === 'path' && (l.stream ?? 'audio') === 'audio';

/** The dominant frequency of the last second of a received WAV (0 when too short). */
export function receivedTone(recordDir: string): number {
  const bytes = new Uint8Array(readFileSync(join(recordDir, 'received-audio.wav')));
  const info = parseWav(bytes);
  if (typeof info === 'string') throw new Error(info);
  const pcm = wavPcmSamples(bytes, info);
  if (pcm.length < 8000) return 0;
  return dominantFrequency(pcm.subarray(pcm.length - 8000, pcm.length - 2000), 8000, 200, 3000);
}

/** Stats lines of one stream. */
export function streamStats(v: VouchNs, stream: 'audio' | 'video'): StreamStats[] {
  return v.lines.filter((l) => l.event === 'stats').flatMap((l) => (l.streams as StreamStats[]).filter((s) => s.stream === stream));
}
