// Helpers for the UI specs: a fresh app page on its own browser shell (own data dir), and the
// first-run setup filled in.
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const ARTIFACTS = 'e2e/artifacts';

export function artifactsDir(): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}

/** Fills the first-run setup as a direct-IP-only user and waits for the dialer. */
export async function completeSetup(page: Page, displayName: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Set up your account' })).toBeVisible();
  await page.getByLabel('Display name', { exact: true }).fill(displayName);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByRole('heading', { name: 'Set up your account' })).toBeHidden();
  await expect(page.getByLabel('Address', { exact: true })).toBeVisible();
}

/** Completes the first-run setup only if this data dir still needs it (tests may run alone). */
export async function ensureSetUp(page: Page, displayName: string): Promise<void> {
  const setup = page.getByRole('heading', { name: 'Set up your account' });
  const dialer = page.getByLabel('Address', { exact: true });
  await expect(setup.or(dialer)).toBeVisible();
  if (await setup.isVisible()) await completeSetup(page, displayName);
}

/** Controls without an accessible name (no aria-label, no <label for>, no wrapping label, no text). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, textarea, meter, canvas, video')]
      .filter((el) => {
        const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest('label');
        const hasText = ['BUTTON'].includes(el.tagName) && (el.textContent ?? '').trim() !== '';
        return !labelled && !hasText && el.getAttribute('aria-hidden') !== 'true';
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}
