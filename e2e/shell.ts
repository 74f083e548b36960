// Starts the built browser shell (node out/main/browser.js) with its own data dir and returns
// its URL; stops it afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningShell {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startShell(): Promise<RunningShell> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vouch-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['out/main/browser.js', '--data-dir', dataDir, '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('browser shell did not start within 15 s')), 15_000);
    child.once('exit', (code) => reject(new Error(`browser shell exited (${code}); run npm run build first`)));
    lines.on('line', (line) => {
      const m = JSON.parse(line) as { event: string; url: string };
      if (m.event === 'listening') {
        clearTimeout(timer);
        resolve(m.url);
      }
    });
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    token: new URLSearchParams(u.hash.slice(1)).get('token') ?? '',
    dataDir,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
