// A `vouch` CLI as a real process for tests: its JSON lines recorded with the time each arrived,
// awaitable by predicate. The caller kills every process it started (killAll in afterAll).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type Line = Record<string, unknown> & { event: string };

export interface VouchProcess {
  child: ChildProcess;
  lines: Line[];
  /** Date.now() when each line arrived, by index. */
  times: number[];
  exited: Promise<number>;
  /** The first line (seen or to come) that passes `pred`. */
  next(pred: (l: Line) => boolean, ms?: number): Promise<Line>;
}

const started: ChildProcess[] = [];

// Tests pin loopback and a free port: the CLI's default (every interface, 5060) is for people.
const LOOPBACK = (args: readonly string[]): string[] => [...(args.includes('--host') ? [] : ['--host', '127.0.0.1']), ...(args.includes('--port') ? [] : ['--port', '0'])];

export function spawnVouch(args: string[]): VouchProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', ...args, ...LOOPBACK(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  const lines: Line[] = [];
  const times: number[] = [];
  const waiters: { pred: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let l: Line;
    try {
      l = JSON.parse(text) as Line;
    } catch {
      l = { event: 'text', text };
    }
    lines.push(l);
    times.push(Date.now());
    for (const w of [...waiters]) {
      if (!w.pred(l)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(l);
    }
  });
  const exited = new Promise<number>((r) => child.once('exit', (code, signal) => r(code ?? (signal ? -1 : 0))));
  return {
    child,
    lines,
    times,
    exited,
    next(pred, ms = 15_000) {
      const seen = lines.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms; got ${lines.map((l) => l.event).join(',')}`)), ms);
        waiters.push({
          pred,
          resolve: (l) => {
            clearTimeout(t);
            resolve(l);
          },
        });
      });
    },
  };
}

/** Kills every process spawnVouch started that is still running. */
export function killAll(): void {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
