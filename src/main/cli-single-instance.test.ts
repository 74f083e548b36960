// One `vouch` per data dir (single-instance.ts) as a user meets it: `vouch listen` runs; a second
// `vouch call sip:…` with the same --data-dir hands the URI over, exits 0, and the running one
// places the call (answered by a third, independent listener).
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Line = Record<string, unknown>;

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: Line[];
  waitFor(pred: (l: Line) => boolean, what: string): Promise<Line>;
  stop(): Promise<void>;
}

function listen(dataDir: string): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0', 'listen'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Line[] = [];
  const waiters: { pred: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];
  let buf = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) !== -1) {
      const l = JSON.parse(buf.slice(0, nl)) as Line;
      buf = buf.slice(nl + 1);
      lines.push(l);
      for (const w of waiters.filter((w) => w.pred(l))) w.resolve(l);
    }
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    child,
    lines,
    waitFor: (pred, what) => {
      const seen = lines.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ${what} in 30 s:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr}`)), 30_000);
        waiters.push({ pred, resolve: (l) => (clearTimeout(t), resolve(l)) });
      });
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('vouch: one instance per data dir', () => {
  it('a second `vouch call` on a running data dir hands the URI to `vouch listen` and exits 0; the running one calls', async () => {
    const dirA = mkdtempSync(join(tmpdir(), 'vouch-si-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'vouch-si-b-'));
    const a = listen(dirA);
    const b = listen(dirB);
    try {
      await a.waitFor((l) => l.event === 'listening', 'listening line from A');
      const bListening = await b.waitFor((l) => l.event === 'listening', 'listening line from B');
      expect(statSync(join(dirA, 'instance.sock')).mode & 0o777).toBe(0o600);
      const uri = `sip:bob@127.0.0.1:${String(bListening.sipPort)}`;
      const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', '--data-dir', dirA, 'call', uri], { encoding: 'utf8', timeout: 20_000 });
      const handed = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Line);
      expect(handed).toEqual([expect.objectContaining({ event: 'handed-over', uri, ok: true })]);
      // A calls, B (auto-answering) answers: both reach connected.
      await a.waitFor((l) => l.event === 'state' && l.direction === 'outgoing' && l.remote === uri && l.state === 'connected', "A's handed-over call connected");
      await b.waitFor((l) => l.event === 'state' && l.direction === 'incoming' && l.state === 'connected', "B's incoming call connected");
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      rmSync(dirA, { recursive: true, force: true });
      rmSync(dirB, { recursive: true, force: true });
    }
  }, 60_000);
});
