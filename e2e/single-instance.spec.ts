// One Vouch per data dir, browser shell (issue 22): with the shell running, launching it again on
// the same data dir with a sip: URI (what a URL handler does) hands the call to the running one
// and exits 0; the open window shows the call. The CLI side is src/main/cli-single-instance.test.ts.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { shellPerFile } from './shell';
import { newDataDir, removeDataDir } from './peers/app-instance';
import { startVouchCli } from './peers/vouch-cli';
import { FAKE_MEDIA_LAUNCH, screenshot } from './peers/browser';
import { ensureSetUp } from './ui-helpers';

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
