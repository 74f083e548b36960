// The dialer: a call that AppCore cannot place shows why, in words, on the page.
import { test, expect } from '@playwright/test';
import { startShell, type RunningShell } from './shell';
import { artifactsDir, completeSetup } from './ui-helpers';

let shell: RunningShell;
test.beforeAll(async () => {
  shell = await startShell();
  artifactsDir();
});
test.afterAll(async () => {
  await shell?.stop();
});

test('calling shows the command error in words, and every control is labelled', async ({ page }) => {
  await page.goto(shell.url);
  await completeSetup(page, 'Alice');
  await expect(page.getByRole('status', { name: 'Registration status' })).toHaveText('Direct IP calls only (no server)');
  await expect(page.getByRole('button', { name: 'Call', exact: true })).toBeDisabled();
  await page.getByLabel('Address', { exact: true }).fill('bob@127.0.0.1:5099');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText(/Could not call sip:bob@127\.0\.0\.1:5099: .+\./);
  await expect(page.getByRole('alert').filter({ hasText: 'Could not call' })).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/ui-dialer-error.png', fullPage: true });

  await page.getByRole('button', { name: /^Dismiss: Could not call/ }).click();
  await expect(banner).not.toContainText('Could not call');

  // Accessibility: every button, input and select has an accessible name.
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, textarea')]
      .filter((el) => {
        const labelled = el.getAttribute('aria-label') || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest('label');
        return !labelled && !(el.textContent ?? '').trim();
      })
      .map((el) => el.outerHTML),
  );
  expect(unnamed).toEqual([]);
});
