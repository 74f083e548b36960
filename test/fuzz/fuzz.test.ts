// The CI run of the fuzzers (issue 20): every target for 45 s together (≤ 60 s with start-up),
// read-only (what it finds is not written back to corpus/), failing on any crash. Runs
// run.ts in a child process: V8 coverage must start before the targets' modules compile, and the
// coverage session of vitest's own worker is none of its business.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');

describe('coverage-guided fuzzing (test/fuzz)', () => {
  it('runs every parser target for 45 s with no uncaught exception', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/fuzz/run.ts'], {
      cwd: repo,
      env: { ...process.env, FUZZ_TOTAL_SECONDS: '45', FUZZ_READONLY: '1' },
      encoding: 'utf8',
      timeout: 90_000,
    });
    const lines = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { target?: string; inputs: number; crashes: number; crashInputs?: unknown[] });
    const targets = lines.filter((l) => l.target);
    for (const t of targets) expect(t.crashes, `${t.target} crashed: ${JSON.stringify(t.crashInputs)}`).toBe(0);
    expect(r.status, r.stderr).toBe(0);
    // Every target file ran and did real work (a loop that stopped early would pass unseen).
    expect(targets.length).toBe(readdirSync(join(repo, 'test/fuzz/targets')).filter((f) => f.endsWith('.ts')).length);
    for (const t of targets) expect(t.inputs, t.target).toBeGreaterThan(100);
  }, 100_000);
});
