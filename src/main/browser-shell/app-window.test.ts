// Raising the shell's app window over Chromium's debugging pipe, against a real Chromium (the
// shell's own finder, browser-shell/chromium.ts), headless: the page is found among others and
// Chromium accepts Target.activateTarget for it. Headless Chromium has no window manager to show
// the window coming forward; that last step is the desktop's.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CdpError, CdpPipe, raiseAppWindow } from './app-window';
import { findChromium } from './chromium';

const chromium = findChromium();
const APP_URL = 'data:text/html,<title>Vouch</title>app';
let child: ChildProcess | undefined;
let profile: string | undefined;
afterEach(async () => {
  const c = child;
  child = undefined;
  if (c?.pid !== undefined && c.exitCode === null && c.signalCode === null) {
    const exited = new Promise((r) => c.once('exit', r));
    // The whole group: Chromium's own helper processes write into the profile too.
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      c.kill('SIGKILL');
    }
    await exited;
  }
  // A helper process may still be closing its files in the profile as it dies: Node's own
  // EBUSY/ENOTEMPTY back-off for removing a tree (a file-system wait, not a test retry).
  if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  profile = undefined;
});

function launch(): CdpPipe {
  profile = mkdtempSync(join(tmpdir(), 'vouch-cdp-'));
  child = spawn(chromium!, ['--headless=new', '--no-sandbox', '--disable-gpu', '--remote-debugging-pipe', `--user-data-dir=${profile}`, '--no-first-run', APP_URL], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true });
  return new CdpPipe(child.stdio[3] as Writable, child.stdio[4] as Readable);
}

/** A launched Chromium once it answers on the pipe (starting can take seconds on a loaded machine). */
async function launched(): Promise<CdpPipe> {
  const cdp = launch();
  await cdp.send('Browser.getVersion', {}, 20_000);
  return cdp;
}

describe.skipIf(!chromium)('raising the app window over the debugging pipe (a real Chromium)', () => {
  it('finds the shell page among other pages and activates it', async () => {
    const cdp = await launched();
    const other = await cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank', newWindow: true });
    // The app's page may still be loading its data: URL; ask until it is listed.
    let raised: string | undefined;
    for (let i = 0; i < 50 && !raised; i++) {
      raised = await raiseAppWindow(cdp, 'data:text/html,<title>Vouch');
      if (!raised) await new Promise((r) => setTimeout(r, 100));
    }
    const { targetInfos } = await cdp.send<{ targetInfos: { targetId: string; url: string }[] }>('Target.getTargets');
    expect(raised).toBe(targetInfos.find((t) => t.url === APP_URL)?.targetId);
    expect(raised).not.toBe(other.targetId);
    expect(await raiseAppWindow(cdp, 'http://127.0.0.1:1/')).toBeUndefined();
    expect(cdp.dropped).toBe(0);
  }, 30_000);

  it('a command Chromium refuses is a typed error', async () => {
    const cdp = await launched();
    await expect(cdp.send('Target.activateTarget', { targetId: 'no-such-target' })).rejects.toBeInstanceOf(CdpError);
  }, 30_000);
});

describe('the pipe reader', () => {
  it('never throws on what arrives: bad JSON, non-objects, unknown ids and oversized messages are skipped', async () => {
    const from = new PassThrough();
    const to = new PassThrough();
    const cdp = new CdpPipe(to, from);
    const answer = cdp.send<{ ok: boolean }>('Browser.getVersion');
    cdp.receive('{not json\0null\0{"id":999,"result":{}}\0{"method":"Target.targetCreated"}\0');
    cdp.receive('x'.repeat((1 << 20) + 1));
    expect(cdp.dropped).toBe(3);
    cdp.receive('{"id":1,"res');
    cdp.receive('ult":{"ok":true}}\0');
    await expect(answer).resolves.toEqual({ ok: true });
    expect(String(to.read())).toBe('{"id":1,"method":"Browser.getVersion","params":{}}\0');
  });

  it('a closed pipe fails what waits, with a typed error', async () => {
    const from = new PassThrough();
    const cdp = new CdpPipe(new PassThrough(), from);
    const answer = cdp.send('Target.getTargets');
    from.destroy();
    await expect(answer).rejects.toBeInstanceOf(CdpError);
  });
});
