// A throw that escapes every handler does not end the process nor a running call (issue 16).
// The call runs in a child process (test/interop/last-resort-child.ts): vitest fails a run on any
// uncaught error in its own workers.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';

function runChild(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/interop/last-resort-child.ts'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('last resort', () => {
  it('an uncaught exception and an unhandled rejection are logged and counted; the secure call stays connected and keeps receiving', async () => {
    const { code, stdout, stderr } = await runChild();
    expect(code, stderr).toBe(0);
    const line = stdout.trim().split('\n').pop() ?? '';
    const r = JSON.parse(line) as { counts: { uncaughtException: number; unhandledRejection: number }; ended: boolean; packetsBefore: number; packetsAfter: number; shellBadRequests: number; logged: string[] };
    expect(r.counts.uncaughtException).toBe(1);
    expect(r.counts.unhandledRejection).toBe(1);
    expect(r.logged.some((l) => l.startsWith('vouch: uncaught exception #1, still running: Error: a stats handler threw'))).toBe(true);
    expect(r.logged.some((l) => l.startsWith('vouch: unhandled rejection #1, still running: Error: nobody handled this'))).toBe(true);
    expect(r.shellBadRequests).toBe(1);
    expect(r.ended).toBe(false);
    // 2.5 s of G.711 at 50 packets/s after the throws: well over 50 more packets arrived.
    expect(r.packetsAfter - r.packetsBefore).toBeGreaterThan(50);
  }, 120_000);
});
