// The browser shell end to end: the page loads in Chromium, shows the app frame and the media
// worker round trip; the API socket refuses a missing token and a foreign origin, and a second
// client waits until the open window allows it.
import { test, expect } from '@playwright/test';
import { shellPerFile } from './shell';

const shell = shellPerFile();

test('the app frame loads and proves the media worker round trip', async ({ page }) => {
  await page.goto(shell().url);
  await expect(page.getByRole('heading', { name: 'Vouch' })).toBeVisible();
  await expect(page.getByLabel('Connection status')).toHaveText('Connected');
  await expect(page.getByRole('region', { name: 'Call' })).toBeVisible();
  // Developer facts (shell kind, worker round trip) are on the About page, not in the frame.
  await page.getByRole('button', { name: 'About', exact: true }).click();
  await expect(page.getByTestId('worker-round-trip')).toHaveText(/^\d+\.\d+ ms$/);
  await expect(page.getByRole('region', { name: 'About Vouch' })).toContainText('browser');
  await page.screenshot({ path: 'e2e/artifacts/app-frame.png' });
});

async function tryConnect(page: import('@playwright/test').Page, wsUrl: string): Promise<string> {
  return page.evaluate(
    (u) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(u);
        ws.onopen = () => {
          resolve('open');
          ws.close();
        };
        ws.onerror = () => resolve('refused');
      }),
    wsUrl,
  );
}

test('the API socket refuses a missing or wrong token; the right one waits until the open window allows it', async ({ page }) => {
  await page.goto(shell().url);
  await expect(page.getByLabel('Connection status')).toHaveText(/Connected/);
  const base = shell().origin.replace('http', 'ws') + '/api';
  expect(await tryConnect(page, base)).toBe('refused');
  expect(await tryConnect(page, `${base}?token=wrong`)).toBe('refused');
  // A second client while this window is connected: held until the user allows it here.
  const second = tryConnect(page, `${base}?token=${shell().token}`);
  await page.getByRole('alertdialog', { name: 'Another window' }).getByRole('button', { name: 'Allow' }).click();
  expect(await second).toBe('open');
});

test('the API socket refuses another origin even with the token', async ({ page }) => {
  // A page on a different origin (another port) must not drive AppCore, even if it learnt the token.
  const { createServer } = await import('node:http');
  const other = createServer((_req, res) => res.end('<html><body>other</body></html>'));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
  const port = (other.address() as { port: number }).port;
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    const url = `${shell().origin.replace('http', 'ws')}/api?token=${shell().token}`;
    expect(await tryConnect(page, url)).toBe('refused');
  } finally {
    other.close();
  }
});
