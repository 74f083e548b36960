// The `vouch` CLI as a user runs it: a real process, JSON lines on stdout.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VOUCH_VERSION } from './version';

function vouch(args: string[]): Record<string, unknown>[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', ...args], { encoding: 'utf8', timeout: 20_000 });
  return out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('vouch CLI', () => {
  it('prints its version, the same as package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(VOUCH_VERSION).toBe(pkg.version);
    expect(vouch(['--version'])).toEqual([{ event: 'version', version: pkg.version }]);
  });

  it('vouch ping makes a round trip through a media worker thread', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vouch-cli-'));
    try {
      const [pong] = vouch(['--data-dir', dataDir, 'ping']);
      expect(pong.event).toBe('pong');
      expect(pong.workerThreadId).toBeGreaterThan(0);
      expect(typeof pong.roundTripMs).toBe('number');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('exits 64 with usage on an unknown command', () => {
    try {
      vouch(['dance']);
      expect.unreachable();
    } catch (e) {
      expect((e as { status: number }).status).toBe(64);
    }
  });
});
