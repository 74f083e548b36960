// One real app instance for the two-app specs: the built browser shell with its own data dir,
// like shell.ts, plus the SIP port it listens on (from its 'listening' line), so the other
// instance can call it over loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface AppInstance {
  url: string;
  sipPort: number;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startAppInstance(): Promise<AppInstance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vouch-e2e-ui-'));
  const child: ChildProcess = spawn(process.execPath, ['out/main/browser.js', '--data-dir', dataDir, '--no-open', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout! });
  const started = await new Promise<{ url: string; sipPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('browser shell did not start within 15 s')), 15_000);
    child.once('exit', (code) => reject(new Error(`browser shell exited (${code}); run npm run build first`)));
    lines.on('line', (line) => {
      try {
        const m = JSON.parse(line) as { event: string; url: string; sipPort?: number };
        if (m.event === 'listening') {
          clearTimeout(timer);
          resolve({ url: m.url, sipPort: m.sipPort ?? 0 });
        }
      } catch {
        // Not a JSON status line.
      }
    });
  });
  return {
    ...started,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
