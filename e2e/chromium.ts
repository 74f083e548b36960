// The one answer to "which Chromium do the tests launch" (issue 22). Every test that starts a
// browser (playwright.config.ts, the fake-media specs, the peers specs) takes its path from here.
// In order, each candidate checked executable:
//   1. $VOUCH_CHROMIUM, when set (a set but unusable path is an error, not silently skipped);
//   2. Debian's chromium (/usr/bin/chromium, /usr/bin/chromium-browser): CI's choice, apt-installed by .ci/run;
//   3. Playwright's own Chromium, when `npx playwright install` could run;
//   4. the devDependency @sparticuz/chromium, which unpacks a headless Chromium into the temp dir:
//      what a fresh clone without root gets after `npm ci` (npm run test:fresh proves it).
import { accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

export const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export type ChromiumSource = 'VOUCH_CHROMIUM' | 'system' | 'playwright' | '@sparticuz/chromium';

export interface ResolvedChromium {
  readonly path: string;
  readonly source: ChromiumSource;
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function playwrightsOwn(): string | undefined {
  try {
    const own = chromium.executablePath();
    return own && isExecutable(own) ? own : undefined;
  } catch {
    return undefined; // Playwright has no browser of its own here.
  }
}

/**
 * @sparticuz/chromium's executablePath() is async (it inflates a brotli archive the first time);
 * Playwright's config needs the path synchronously, so a child Node answers. Later calls find the
 * unpacked binary in the temp dir and return at once.
 */
function sparticuz(): string | undefined {
  const repoRoot = fileURLToPath(new URL('..', import.meta.url));
  const script = "const m = await import('@sparticuz/chromium'); process.stdout.write(await m.default.executablePath());";
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  const path = r.status === 0 ? r.stdout.trim() : '';
  return path && isExecutable(path) ? path : undefined;
}

let resolved: ResolvedChromium | undefined;

export function resolveChromiumWithSource(): ResolvedChromium {
  if (resolved) return resolved;
  const override = process.env.VOUCH_CHROMIUM;
  if (override) {
    if (!isExecutable(override)) throw new Error(`VOUCH_CHROMIUM=${override} is not an executable file`);
    return (resolved = { path: override, source: 'VOUCH_CHROMIUM' });
  }
  const system = SYSTEM_CHROMIUM.find(isExecutable);
  if (system) return (resolved = { path: system, source: 'system' });
  const own = playwrightsOwn();
  if (own) return (resolved = { path: own, source: 'playwright' });
  const packaged = sparticuz();
  if (packaged) return (resolved = { path: packaged, source: '@sparticuz/chromium' });
  throw new Error('No Chromium for the tests: run `npm ci` (installs @sparticuz/chromium), `sudo apt-get install chromium`, or set VOUCH_CHROMIUM');
}

export function resolveChromium(): string {
  return resolveChromiumWithSource().path;
}
