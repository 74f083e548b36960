// The headless `vouch` CLI as a peer of the app: `vouch listen` auto-answers and prints one JSON
// line per event ({"event":"security","state":"secure","sas":"..."}).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type CliLine = Record<string, unknown> & { event: string };

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
  const lines: CliLine[] = [];
  const waiters: { pred: (l: CliLine) => boolean; resolve: (l: CliLine) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let l: CliLine;
    try {
      l = JSON.parse(text) as CliLine;
    } catch {
      return;
    }
    lines.push(l);
    for (const w of [...waiters]) {
      if (!w.pred(l)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(l);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    lines,
    next(pred, timeoutMs) {
      const seen = lines.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`vouch CLI: no such line within ${timeoutMs} ms; events: ${lines.map((l) => l.event).join(',')}; stderr: ${stderr.slice(-1000)}`)), timeoutMs);
        waiters.push({ pred, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}
