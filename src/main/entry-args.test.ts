// Every entry point answers --help and --version before anything runs (issue 16: `browser.js
// --help` started the app and created a ZRTP identity in ~/.config/vouch).
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { earlyAnswer } from './entry-args';
import { VOUCH_VERSION } from './version';

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

/** Runs an entry point from its TypeScript source with a fresh, empty HOME; returns it and the output. */
function run(entry: string, args: string[]) {
  const home = mkdtempSync(join(tmpdir(), 'vouch-home-'));
  homes.push(home);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, DISPLAY: '', WAYLAND_DISPLAY: '' };
  delete env.XDG_CONFIG_HOME;
  delete env.VOUCH_DATA_DIR;
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], { encoding: 'utf8', env, timeout: 60_000 });
  return { ...r, files: readdirSync(home, { recursive: true }) };
}

describe('--help and --version have no side effects', () => {
  for (const [name, entry] of [
    ['the browser shell', 'src/main/browser.ts'],
    ['the CLI', 'src/main/cli-entry.ts'],
    ['npm start (no build either)', 'scripts/start.mjs'],
  ] as const) {
    it(`${name}: --help prints its usage, --version its version; HOME stays empty`, () => {
      const help = run(entry, ['--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^usage: /);
      expect(help.files).toEqual([]);
      const version = run(entry, ['--version']);
      expect(version.status).toBe(0);
      expect(JSON.parse(version.stdout)).toEqual({ event: 'version', version: VOUCH_VERSION });
      expect(version.files).toEqual([]);
      // A command line that would start something still only answers --help.
      const listen = run(entry, entry.includes('cli') ? ['listen', '--help'] : ['--port', '0', '--help']);
      expect(listen.status).toBe(0);
      expect(listen.files).toEqual([]);
    }, 180_000);
  }

  it('the Electron entry uses the same early answer (its argv: electron, app path, then options)', () => {
    expect(earlyAnswer(['.', '--data-dir', '/x', '--help'], 'usage: x\n')).toEqual({ exitCode: 0, text: 'usage: x\n' });
    expect(earlyAnswer(['.', '-v'], 'u')).toEqual({ exitCode: 0, text: JSON.stringify({ event: 'version', version: VOUCH_VERSION }) + '\n' });
    expect(earlyAnswer(['.', '--data-dir', '/x'], 'u')).toBeUndefined();
    // After `--` the words belong to someone else.
    expect(earlyAnswer(['call', '--', '--help'], 'u')).toBeUndefined();
  });
});
