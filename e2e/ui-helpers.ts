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
  await expect(page.getByRole('heading', { name: 'Set up Vouch' })).toBeVisible();
  await page.getByLabel('Display name').fill(displayName);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByRole('heading', { name: 'Set up Vouch' })).toBeHidden();
  await expect(page.getByLabel('Address', { exact: true })).toBeVisible();
}
