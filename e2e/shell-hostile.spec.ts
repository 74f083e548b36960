// The browser shell against what issue 16 tried: a web page of another origin aiming malformed
// URLs at it, another local user reading `ps`, a second window, a script lowering protection.
import { test, expect, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { shellPerFile } from './shell';
import { newDataDir, removeDataDir } from './peers/app-instance';
import { artifactsDir } from './ui-helpers';
import { isExecutable } from './chromium';
import { decodeShellServerMessage } from '../src/shared/shell-protocol';
import { decodeServerMessage, encodeClientMessage } from '../src/shared/wire';

const shell = shellPerFile();

const status = (page: Page) => page.getByLabel('Connection status');

test('a page of another origin aiming /% and //[ at the shell (images, a WebSocket) does not kill it', async ({ page }) => {
  const target = shell().origin;
  const evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><body>
<img id="a" src="${target}/%"><img id="b" src="${target}//["><img id="c" src="${target}/%E0%A4%A">
<script>
  window.done = Promise.all([...document.images].map((i) => new Promise((r) => { i.onerror = r; i.onload = r; })))
    .then(() => new Promise((r) => { const ws = new WebSocket('${target.replace('http', 'ws')}//['); ws.onerror = r; ws.onclose = r; }));
</script></body>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  try {
    await page.goto(`http://127.0.0.1:${(evil.address() as { port: number }).port}/`);
    await page.evaluate(() => (window as unknown as { done: Promise<unknown> }).done);
  } finally {
    evil.close();
  }
  // Still alive, still serving its own window.
  await page.goto(shell().url);
  // The shell kind now sits on the About page (issue 21): the header says only Connected.
  await expect(status(page)).toHaveText('Connected');
});

test('a second window waits for the first to allow it; Deny leaves it unconnected; a reload after the others closed needs nobody', async ({ page, browser }) => {
  await page.goto(shell().url);
  await expect(status(page)).toHaveText(/Connected/);

  const deniedContext = await browser.newContext();
  const denied = await deniedContext.newPage();
  await denied.goto(shell().url);
  const prompt = page.getByRole('alertdialog', { name: 'Another window' });
  await expect(prompt).toContainText('Another window wants to control Vouch.');
  await expect(status(denied)).toHaveText(/Connecting/);
  await expect(denied.getByTestId('status-line')).toHaveText('Connecting… If another Vouch window is open, allow this one there.');
  await page.screenshot({ path: `${artifactsDir()}/shell-admission-prompt.png` });
  await prompt.getByRole('button', { name: 'Deny' }).click();
  await expect(status(denied)).toHaveText(/Not connected/);
  await expect(prompt).toBeHidden();
  await deniedContext.close();

  const allowedContext = await browser.newContext();
  const allowed = await allowedContext.newPage();
  await allowed.goto(shell().url);
  await prompt.getByRole('button', { name: 'Allow' }).click();
  await expect(status(allowed)).toHaveText(/Connected/);
  await allowedContext.close();

  await page.reload();
  await expect(status(page)).toHaveText(/Connected/);
  await expect(prompt).toBeHidden();
});

test('a script holding the token, once allowed, lowers protection: the window says so at once', async ({ page }) => {
  await page.goto(shell().url);
  await expect(status(page)).toHaveText(/Connected/);
  const ws = new WebSocket(`${shell().origin.replace('http', 'ws')}/api?token=${shell().token}`, { origin: shell().origin });
  ws.on('error', () => undefined);
  const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()));
  await page.getByRole('alertdialog', { name: 'Another window' }).getByRole('button', { name: 'Allow' }).click();
  await opened;
  const answered = new Promise<boolean>((resolve) =>
    ws.on('message', (d) => {
      const m = decodeServerMessage(String(d));
      if (m.ok && m.value.kind === 'response' && m.value.id === 1) resolve(m.value.ok);
      else if (!m.ok) expect(decodeShellServerMessage(String(d))).toBeDefined();
    }),
  );
  ws.send(encodeClientMessage({ kind: 'request', id: 1, command: 'updateSettings', args: { patch: { autoAnswer: true, mediaSecurity: 'allow-unencrypted' } } }));
  expect(await answered).toBe(true);
  const warning = page.getByTestId('protection-warning');
  await expect(warning).toHaveAttribute('role', 'alert');
  await expect(warning).toContainText('Auto-answer was turned on');
  await expect(warning).toContainText('to “unencrypted calls allowed”');
  await page.screenshot({ path: `${artifactsDir()}/shell-protection-lowered.png` });
  ws.close();
});

/** Why the real-launch test cannot run here, or undefined. In CI a reason is a failure. */
function launchUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to read processes as user nobody';
  for (const [cmd, pkg] of [
    ['/usr/bin/Xvfb', 'xvfb'],
    ['/usr/bin/setpriv', 'util-linux'],
    ['/usr/bin/chromium', 'chromium'],
  ]) {
    if (!isExecutable(cmd)) return `needs ${cmd} (apt-get install ${pkg})`;
  }
  return undefined;
}

/** Every process's command line, read as user nobody (what any other local user sees in ps). */
function cmdlinesAsNobody(): string[] {
  const pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  const script = pids.map((p) => `tr '\\0' ' ' < /proc/${p}/cmdline 2>/dev/null; echo`).join('\n');
  const r = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sh', '-c', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

test('Chromium opened by the shell gets no secret in its arguments: another user reading ps sees neither token nor launch code', async () => {
  const why = launchUnavailable();
  if (why && process.env.CI === 'true') throw new Error(why);
  test.skip(!!why, why);
  // -displayfd: Xvfb picks a free display and writes its number once it accepts connections.
  const xvfb = spawn('/usr/bin/Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const dataDir = newDataDir();
  let app: ChildProcess | undefined;
  try {
    const display = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Xvfb did not start within 10 s')), 10_000);
      (xvfb.stdio[3] as NodeJS.ReadableStream).once('data', (d: Buffer) => {
        clearTimeout(timer);
        resolve(`:${d.toString().trim()}`);
      });
    });
    app = spawn(process.execPath, ['out/main/browser.js', '--data-dir', dataDir, '--host', '127.0.0.1', '--sip-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISPLAY: display } });
    let stderr = '';
    app.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: app.stdout! });
    let code = '';
    let url = '';
    const connected = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the app window did not connect within 30 s: ${stderr}`)), 30_000);
      lines.on('line', (line) => {
        const m = JSON.parse(line) as { event: string; url?: string };
        if (m.event === 'listening') {
          url = m.url ?? '';
          // Written before the listening line and before Chromium starts; Chromium's use of the code removes it.
          try {
            code = /name="code" value="([^"]+)"/.exec(readFileSync(`${dataDir}/launch.html`, 'utf8'))?.[1] ?? '';
          } catch (e) {
            clearTimeout(timer);
            reject(e as Error);
          }
        }
        if (m.event === 'window-connected') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await connected;
    const token = new URL(url).hash.replace('#token=', '');
    expect(token.length).toBeGreaterThan(20);
    expect(code.length).toBeGreaterThan(40);
    const seen = cmdlinesAsNobody();
    const chromium = seen.filter((l) => l.includes(`--app=file://${dataDir}/launch.html`));
    expect(chromium.length, 'Chromium was started with the launcher file').toBeGreaterThan(0);
    expect(seen.filter((l) => l.includes(token))).toEqual([]);
    expect(seen.filter((l) => l.includes(code))).toEqual([]);
    // Used once: the file is gone and the code is dead.
    expect(existsSync(`${dataDir}/launch.html`)).toBe(false);
    const again = await fetch(`${new URL(url).origin}/launch`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `code=${code}` });
    expect(again.status).toBe(403);
  } finally {
    if (app && app.exitCode === null) {
      const exited = new Promise((r) => app!.once('exit', r));
      app.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (app.exitCode === null) app.kill('SIGKILL');
    }
    xvfb.kill('SIGTERM');
    removeDataDir(dataDir);
  }
});
