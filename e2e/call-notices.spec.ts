// Call notifications in the browser shell (issue 22): while the window is in the background, a
// ringing call shows a Web Notification naming the caller, and a call that rang out unanswered
// shows a missed-call one (what and when: src/shared/call-notices.ts). The page's Notification
// is wrapped to record what was shown (the real one still runs); headless pages always report
// focus, so document.hasFocus() says "in the background".
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { shellPerFile } from './shell';
import { newDataDir, removeDataDir } from './peers/app-instance';
import { FAKE_MEDIA_LAUNCH } from './peers/browser';
import { ensureSetUp } from './ui-helpers';

test.use(FAKE_MEDIA_LAUNCH);
const shell = shellPerFile();

declare global {
  interface Window {
    shownNotices?: string[];
  }
}

test('a ringing call and then a missed one are notified while the window is in the background', async ({ page, context }) => {
  await context.grantPermissions(['notifications'], { origin: shell().origin });
  await page.addInitScript(() => {
    const shown: string[] = [];
    window.shownNotices = shown;
    const Real = window.Notification;
    window.Notification = class extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push(title);
      }
    };
    document.hasFocus = () => false;
  });
  await page.goto(shell().url);
  await ensureSetUp(page, 'Bob');
  const aliceDir = newDataDir();
  // The CLI takes api.ts commands on stdin (--commands): Alice hangs up while Bob's phone rings.
  const alice = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli-entry.ts', '--data-dir', aliceDir, '--host', '127.0.0.1', '--port', '0', '--commands', 'call', `sip:bob@127.0.0.1:${shell().sipPort}`], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const exited = new Promise((resolve) => alice.once('exit', resolve));
  const ringing = new Promise<number>((resolve) =>
    createInterface({ input: alice.stdout }).on('line', (line) => {
      let l: { event?: string; state?: string; callId?: number } = {};
      try {
        l = JSON.parse(line) as typeof l;
      } catch {
        return; // not an event line
      }
      if (l.event === 'state' && l.state === 'ringing' && l.callId !== undefined) resolve(l.callId);
    }),
  );
  try {
    const shown = () => page.evaluate(() => window.shownNotices ?? []);
    await expect.poll(shown, { timeout: 15_000 }).toContainEqual(expect.stringMatching(/ is calling$/));
    await expect(page).toHaveTitle(/^Vouch — Incoming call from /);
    // Alice gives up before Bob answers (CANCEL): the call is missed.
    alice.stdin.write(JSON.stringify({ command: 'hangup', args: { callId: await ringing } }) + '\n');
    await expect.poll(shown, { timeout: 15_000 }).toContainEqual(expect.stringMatching(/^Missed call from /));
    await expect(page).toHaveTitle('Vouch');
  } finally {
    alice.kill('SIGTERM');
    await exited;
    removeDataDir(aliceDir);
  }
});
