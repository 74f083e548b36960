// A `vouch` CLI as a real process for tests: its JSON lines recorded with the time each arrived,
// awaitable by predicate. The caller kills every process it started (killAll in afterAll).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { LineLog, parseLine } from './json-lines';
import type { Line } from './json-lines';

export type { Line } from './json-lines';

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
  const log = new LineLog();
  createInterface({ input: child.stdout! }).on('line', (text) => log.push(parseLine(text) ?? { event: 'text', text }));
  const exited = new Promise<number>((r) => child.once('exit', (code, signal) => r(code ?? (signal ? -1 : 0))));
  return {
    child,
    lines: log.lines,
    times: log.times,
    exited,
    next: (pred, ms = 15_000) => log.next(pred, ms, { timeout: () => new Error(`timed out after ${ms} ms; got ${log.lines.map((l) => l.event).join(',')}`) }),
  };
}

/** Kills every process spawnVouch started that is still running. */
export function killAll(): void {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
