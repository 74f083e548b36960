// Two real app instances (two AppCores, two data dirs, two pages with fake camera and microphone)
// call each other over loopback: both pages show the same SAS, both confirm it, Verified shows;
// audio meters show signal; "Add video" brings a remote tile with changing pixels; hang up; the
// next call shows the peer as Verified.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { twoShellsPerFile, type RunningShell } from './shell';
import { canvasPixels, fakeMediaLaunchOptions, meter } from './ui-media';
import { completeSetup } from './ui-helpers';

test.use({ launchOptions: fakeMediaLaunchOptions });

const shells = twoShellsPerFile();

async function openApp(browser: Browser, app: RunningShell, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(app.url);
  await completeSetup(page, name);
  return page;
}

async function sasOf(page: Page): Promise<string> {
  return (await page.getByTestId('sas').locator('[aria-hidden="true"]').textContent()) ?? '';
}

test('Alice calls Bob: same SAS, both confirm, Verified, audio both ways, video, hang up; the next call is Verified', async ({ browser }) => {
  test.setTimeout(90_000);
  expect(shells.bob().sipPort).toBeGreaterThan(0);
  const a = await openApp(browser, shells.alice(), 'Alice');
  const b = await openApp(browser, shells.bob(), 'Bob');

  await a.getByLabel('Address', { exact: true }).fill(`sip:bob@127.0.0.1:${shells.bob().sipPort}`);
  await a.getByRole('button', { name: 'Call', exact: true }).click();
  const incoming = b.getByRole('alertdialog', { name: 'Incoming call' });
  await expect(incoming).toBeVisible({ timeout: 10_000 });
  // The window title says the call state (issue 22): what the taskbar and window switcher show.
  await expect(b).toHaveTitle(/^Vouch — Incoming call from \S/);
  await expect(a).toHaveTitle(/^Vouch — Calling \S.*…$/);
  await b.screenshot({ path: 'e2e/artifacts/ui-two-apps-incoming.png', fullPage: true });
  await b.getByRole('button', { name: /^Answer call from / }).click();

  await expect(a.getByTestId('sas')).toBeVisible({ timeout: 15_000 });
  await expect(b.getByTestId('sas')).toBeVisible({ timeout: 15_000 });
  const sasA = await sasOf(a);
  expect(sasA).toMatch(/^\S{4}$/);
  expect(await sasOf(b)).toBe(sasA);
  await expect(a).toHaveTitle(/^Vouch — In call with \S/);
  // Guided by voice (issue 21): Alice (caller) says the first half, Bob the second; each hears the other's.
  expect(await a.getByTestId('sas-say').textContent()).toBe(sasA.slice(0, 2).toUpperCase());
  expect(await b.getByTestId('sas-say').textContent()).toBe(await a.getByTestId('sas-hear').textContent());
  expect(await b.getByTestId('sas-hear').textContent()).toBe(await a.getByTestId('sas-say').textContent());
  await a.screenshot({ path: 'e2e/artifacts/ui-two-apps-sas-alice.png', fullPage: true });
  await b.screenshot({ path: 'e2e/artifacts/ui-two-apps-sas-bob.png', fullPage: true });

  await a.getByRole('button', { name: 'Matches' }).click();
  await b.getByRole('button', { name: 'Matches' }).click();
  await expect(a.locator('.sas-panel .badge.verified')).toBeVisible({ timeout: 10_000 });
  await expect(b.locator('.sas-panel .badge.verified')).toBeVisible({ timeout: 10_000 });

  await expect(a.getByTestId('call-state')).toHaveText('Secure and verified');

  // Audio goes both ways through the real stack: each page's peer meter moves.
  await expect.poll(() => meter(a, /audio$/), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect.poll(() => meter(b, /audio$/), { timeout: 10_000 }).toBeGreaterThan(0);

  await a.getByRole('button', { name: 'Add video' }).click();
  await expect(b.getByTestId('remote-video')).toBeVisible({ timeout: 15_000 });
  await expect(a.getByTestId('local-preview')).toBeVisible();
  await expect.poll(async () => (await canvasPixels(b)).sum, { timeout: 15_000 }).toBeGreaterThan(0);
  const first = await canvasPixels(b);
  await expect.poll(async () => (await canvasPixels(b)).fingerprint, { timeout: 10_000 }).not.toBe(first.fingerprint);
  // Bob's app sends its camera back on the accepted video stream: Alice sees a remote tile too.
  await expect(a.getByTestId('remote-video')).toBeVisible({ timeout: 15_000 });
  await expect.poll(async () => (await canvasPixels(a)).sum, { timeout: 15_000 }).toBeGreaterThan(0);
  await a.screenshot({ path: 'e2e/artifacts/ui-two-apps-video-alice.png', fullPage: true });
  await b.screenshot({ path: 'e2e/artifacts/ui-two-apps-video-bob.png', fullPage: true });

  await a.getByRole('button', { name: /^Hang up call with / }).click();
  await expect(a.getByText(/^Call with .+ ended\./)).toBeVisible({ timeout: 10_000 });
  await expect(b.getByText(/^Call with .+ ended\./)).toBeVisible({ timeout: 10_000 });
  expect(await a.title()).toBe('Vouch');
  await a.screenshot({ path: 'e2e/artifacts/ui-two-apps-ended.png', fullPage: true });

  // The second call: the cached, verified identity shows as Verified without comparing again.
  await a.getByLabel('Address', { exact: true }).fill(`sip:bob@127.0.0.1:${shells.bob().sipPort}`);
  await a.getByRole('button', { name: 'Call', exact: true }).click();
  await b.getByRole('button', { name: /^Answer call from / }).click({ timeout: 10_000 });
  await expect(a.getByTestId('call-state')).toHaveText('Secure and verified', { timeout: 15_000 });
  await expect(b.getByTestId('call-state')).toHaveText('Secure and verified', { timeout: 15_000 });
  await expect(a.locator('.caller .badge.verified')).toBeVisible();
  await a.screenshot({ path: 'e2e/artifacts/ui-two-apps-second-call.png', fullPage: true });
  await b.getByRole('button', { name: /^Hang up call with / }).click();
  await expect(a.getByText(/^Call with .+ ended\./)).toBeVisible({ timeout: 10_000 });
});
