// The headless `vouch` CLI as a peer of the app: `vouch listen` auto-answers and prints one JSON
// line per event ({"event":"security","state":"secure","sas":"..."}).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { LineLog, parseLine } from '../../test/interop/json-lines';
import type { Line } from '../../test/interop/json-lines';

export type CliLine = Line;

export interface VouchCli {
  readonly lines: readonly CliLine[];
  /** The first line (already printed or to come) that satisfies `pred`. */
  next(pred: (l: CliLine) => boolean, timeoutMs: number): Promise<CliLine>;
  stop(): Promise<void>;
}

// Tests pin loopback and a free port: the CLI's default (every interface, 5060) is for people.
const LOOPBACK = (args: readonly string[]): string[] => [...(args.includes('--host') ? [] : ['--host', '127.0.0.1']), ...(args.includes('--port') ? [] : ['--port', '0'])];

export function startVouchCli(args: readonly string[]): VouchCli {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', ...args, ...LOOPBACK(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const log = new LineLog();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const l = parseLine(text);
    if (l) log.push(l);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    lines: log.lines,
    next: (pred, timeoutMs) =>
      log.next(pred, timeoutMs, {
        timeout: () => new Error(`vouch CLI: no such line within ${timeoutMs} ms; events: ${log.lines.map((l) => l.event).join(',')}; stderr: ${stderr.slice(-1000)}`),
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}
