// One Vouch per data dir, browser shell (issue 22): with the shell running, launching it again on
// the same data dir with a sip: URI (what a URL handler does) hands the call to the running one
// and exits 0; the open window shows the call. The CLI side is src/main/cli-single-instance.test.ts.
import { test, expect } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { shellPerFile } from './shell';
import { newDataDir, removeDataDir } from './peers/app-instance';
import { startVouchCli } from './peers/vouch-cli';
import { FAKE_MEDIA_LAUNCH, screenshot } from './peers/browser';
import { ensureSetUp } from './ui-helpers';
import { isExecutable, resolveChromiumWithSource } from './chromium';

test.use(FAKE_MEDIA_LAUNCH);
const shell = shellPerFile();

test('a second launch with a sip: URI hands the call to the running shell and exits 0', async ({ page }) => {
  const bobDir = newDataDir();
  const bob = startVouchCli(['--data-dir', bobDir, 'listen']);
  try {
    const listening = await bob.next((l) => l.event === 'listening', 30_000);
    await page.goto(shell().url);
    await ensureSetUp(page, 'Alice');
    expect(statSync(join(shell().dataDir, 'instance.sock')).mode & 0o777).toBe(0o600);

    const uri = `sip:bob@127.0.0.1:${String(listening.sipPort)}`;
    const second = spawnSync(process.execPath, ['out/main/browser.js', '--data-dir', shell().dataDir, '--no-open', uri], { encoding: 'utf8', timeout: 20_000 });
    expect(second.status, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout.trim())).toMatchObject({ event: 'handed-over', uri, ok: true });

    // The running shell placed it: its window shows the call, and Bob answered it.
    await expect(page.getByRole('button', { name: /^Hang up call with / })).toBeVisible({ timeout: 15_000 });
    await bob.next((l) => l.event === 'state' && l.state === 'connected', 15_000);
    await expect(page.getByText(/Could not use the microphone/)).toHaveCount(0);
    await screenshot(page, 'single-instance-handed-over-call');
  } finally {
    await bob.stop();
    removeDataDir(bobDir);
  }
});

// The shell's own app window (Chromium --app under a virtual display): a second launch raises it
// over Chromium's debugging pipe (browser-shell/app-window.ts), as the Electron app raises its own.
test('a second launch raises the running shell\'s app window', async () => {
  const browser = resolveChromiumWithSource();
  test.skip(!isExecutable('/usr/bin/Xvfb'), 'needs a virtual display: apt-get install xvfb');
  test.skip(browser.source === '@sparticuz/chromium', '@sparticuz/chromium is headless only: no app window to raise');
  const xvfb = spawn('/usr/bin/Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1024x768x24'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const dataDir = newDataDir();
  try {
    const display = await new Promise<string>((resolve) => (xvfb.stdio[3] as Readable).once('data', (d) => resolve(String(d).trim())));
    const env = { ...process.env, DISPLAY: `:${display}`, VOUCH_CHROMIUM: browser.path };
    const running = spawn(process.execPath, ['out/main/browser.js', '--data-dir', dataDir, '--host', '127.0.0.1', '--sip-port', '0'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const lines = createInterface({ input: running.stdout });
      await new Promise<void>((resolve) => lines.on('line', (l) => l.includes('"window-connected"') && resolve()));
      const second = spawnSync(process.execPath, ['out/main/browser.js', '--data-dir', dataDir, '--no-open'], { encoding: 'utf8', timeout: 20_000 });
      expect(second.status, second.stderr).toBe(0);
      expect(JSON.parse(second.stdout.trim())).toMatchObject({ event: 'handed-over', uri: null, ok: true, detail: 'already running; raised its window' });
    } finally {
      const gone = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await gone;
    }
  } finally {
    xvfb.kill();
    removeDataDir(dataDir);
  }
});
