// One real app instance (the built browser shell: AppCore + renderer) that can be stopped and
// started again on the same data dir (the ZID and ZRTP cache live there) or on a given SIP port
// (another identity answering the same address). Unlike ../shell.ts, stop() keeps the data
// dir; removeDataDir() deletes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface AppInstanceOptions {
  /** Reuse this data dir (a restart); else a fresh temporary one. */
  readonly dataDir?: string;
  /** Listen for SIP on this UDP port; else any free port. */
  readonly sipPort?: number;
}

export interface RestartableApp {
  readonly url: string;
  readonly sipPort: number;
  readonly dataDir: string;
  /** Stops the shell (SIGTERM, SIGKILL after 5 s); the data dir stays. */
  stop(): Promise<void>;
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'vouch-e2e-peers-'));
}

export function removeDataDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export async function startApp(options: AppInstanceOptions = {}): Promise<RestartableApp> {
  const dataDir = options.dataDir ?? newDataDir();
  const args = ['out/main/browser.js', '--data-dir', dataDir, '--no-open', '--host', '127.0.0.1'];
  // Pinned to loopback on any free port: the default (every interface, 5060) is for people.
  args.push('--sip-port', String(options.sipPort ?? 0));
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = await new Promise<{ url: string; sipPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser shell did not start within 15 s: ${stderr}`)), 15_000);
    void exited.then(() => reject(new Error(`browser shell exited (${child.exitCode}); run npm run build first: ${stderr}`)));
    lines.on('line', (line) => {
      let m: { event?: string; url?: string; sipPort?: number };
      try {
        m = JSON.parse(line) as typeof m;
      } catch {
        return;
      }
      if (m.event === 'listening' && m.url) {
        clearTimeout(timer);
        resolve({ url: m.url, sipPort: m.sipPort ?? 0 });
      }
    });
  }).catch(async (e: Error) => {
    child.kill('SIGKILL');
    throw e;
  });
  if (options.sipPort && started.sipPort !== options.sipPort) {
    child.kill('SIGKILL');
    throw new Error(`browser shell listens for SIP on ${started.sipPort}, not the requested ${options.sipPort}: ${stderr}`);
  }
  return {
    ...started,
    dataDir,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
