// A `vouch` CLI run inside a lab namespace (through the tsx loader, as test/interop/vouch-cli.test.ts
// runs it), with its JSON lines collected and awaited. Each gets its own data dir.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab, LabProcess, Role } from './lab';
import { dominantFrequency, parseWav, wavPcmSamples } from '../../../src/main/media/sources';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export type Line = Record<string, unknown> & { event: string };

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
  const lines: Line[] = [];
  const times: number[] = [];
  const waiters: { pred: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];
  const proc = lab.spawn(role, process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', ...args, '--data-dir', dataDir, '--record-dir', recordDir], {
    cwd: REPO,
    onLine: (text) => {
      if (!text.startsWith('{')) return;
      let l: Line;
      try {
        l = JSON.parse(text) as Line;
      } catch {
        return;
      }
      lines.push(l);
      times.push(performance.now());
      for (const w of [...waiters]) {
        if (!w.pred(l)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(l);
      }
    },
  });
  return {
    process: proc,
    lines,
    times,
    dataDir,
    recordDir,
    exited: proc.exited,
    next(pred, ms = 15_000) {
      const seen = lines.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${name}: timed out; got ${lines.map((l) => `${l.event}${l.state ? `:${String(l.state)}` : ''}`).join(',')}\n${proc.output().slice(-2000)}`)), ms);
        const onExit = (): void => {
          clearTimeout(t);
          reject(new Error(`${name} exited; got ${lines.map((l) => l.event).join(',')}\n${proc.output().slice(-2000)}`));
        };
        void proc.exited.then(() => setTimeout(onExit, 50));
        waiters.push({
          pred,
          resolve: (l) => {
            clearTimeout(t);
            resolve(l);
          },
        });
      });
    },
    stop: () => proc.stop(),
  };
}

export const isSecure = (l: Line): boolean => l.event === 'security' && l.state === 'secure';
export const isListening = (l: Line): boolean => l.event === 'listening';

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
export function streamStats(v: VouchNs, stream: 'audio' | 'video'): { packetsReceived: number; packetsSent: number; protectFailures: number }[] {
  return v.lines.filter((l) => l.event === 'stats').flatMap((l) => (l.streams as { stream: string; packetsReceived: number; packetsSent: number; protectFailures: number }[]).filter((s) => s.stream === stream));
}
