// What every peers/security spec does in Chromium: fake camera and microphone, audio without a
// user gesture, the app page set up, a call placed, the SAS read, a screenshot per step.
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { resolveChromium } from '../chromium';
import { artifactsDir, ensureSetUp } from '../ui-helpers';

/** Launch options for `test.use`: Chromium with fake media devices (issue 10). */
export const FAKE_MEDIA_LAUNCH = {
  launchOptions: {
    executablePath: resolveChromium(),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  },
};

export interface AppPage {
  readonly page: Page;
  close(): Promise<void>;
}

/**
 * Opens the app in its own browser context and completes the first-run setup if it is due.
 * `beforeOpen` sees the page before it loads the app (to watch its sockets from the start).
 */
export async function openApp(browser: Browser, url: string, displayName: string, beforeOpen?: (page: Page) => void): Promise<AppPage> {
  const context: BrowserContext = await browser.newContext();
  const page = await context.newPage();
  beforeOpen?.(page);
  await page.goto(url);
  await ensureSetUp(page, displayName);
  return { page, close: () => context.close() };
}

export async function placeCall(page: Page, uri: string): Promise<void> {
  await page.getByLabel('Address', { exact: true }).fill(uri);
  await page.getByRole('button', { name: 'Call', exact: true }).click();
}

/** The SAS as shown on screen (the visible, aria-hidden copy; B32 is upper-cased there). */
export async function shownSas(page: Page, timeoutMs = 15_000): Promise<string> {
  await expect(page.getByTestId('sas')).toBeVisible({ timeout: timeoutMs });
  return ((await page.getByTestId('sas').locator('[aria-hidden="true"]').textContent()) ?? '').trim();
}

export async function hangUp(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Hang up call with / }).click();
  await expect(page.getByText(/^Call with .+ ended\./)).toBeVisible({ timeout: 10_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${artifactsDir()}/${name}.png`, fullPage: true });
}

/** Answers the incoming call on the callee's page. */
export async function answer(page: Page): Promise<void> {
  await expect(page.getByRole('alertdialog', { name: 'Incoming call' })).toBeVisible({ timeout: 10_000 });
  await page.getByRole('button', { name: /^Answer call from / }).click();
}

/**
 * Both sides confirm the SAS and both show the Verified badge (the badge, not the state line: that
 * one can stay "Securing…", see peers-cli-slow-signalling.spec.ts).
 */
export async function bothConfirm(a: Page, b: Page): Promise<void> {
  expect(await shownSas(b)).toBe(await shownSas(a));
  await a.getByRole('button', { name: 'Matches' }).click();
  await b.getByRole('button', { name: 'Matches' }).click();
  for (const p of [a, b]) await expect(p.locator('.sas-panel .badge.verified')).toBeVisible({ timeout: 10_000 });
}

/** The full-width warning of that kind in the SAS panel (SasPanel.tsx). */
export function securityWarning(page: Page, kind: 'cache-mismatch' | 'new-identity') {
  return page.locator(`.sas-panel .warning-banner[data-kind="${kind}"]`);
}
