// The dialer against the real AppCore: a call to an address where nobody listens ends (or is
// refused) with the reason in words on the page; every control has an accessible name.
import { test, expect } from '@playwright/test';
import { shellPerFile } from './shell';
import { completeSetup, unlabelledControls } from './ui-helpers';

const shell = shellPerFile();

test('calling an address where nobody listens says what happened in words; every control is labelled', async ({ page }) => {
  await page.goto(shell().url);
  await completeSetup(page, 'Alice');
  await expect(page.getByRole('status', { name: 'Registration status' })).toHaveText('Direct IP calls only (no server)');
  await expect(page.getByRole('button', { name: 'Call', exact: true })).toBeDisabled();
  await page.getByLabel('Address', { exact: true }).fill('bob@127.0.0.1:5099');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  // Nobody listens there: AppCore either refuses the call with a typed error, or places it and it
  // fails later. Either way the page says so in words, never only in a console.
  const refused = page.getByTestId('error-banner').filter({ hasText: /Could not call sip:bob@127\.0\.0\.1:5099: .+\./ });
  const placed = page.getByTestId('call-state');
  await expect(refused.or(placed)).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/ui-dialer-call.png', fullPage: true });
  if (await placed.isVisible()) {
    await expect(placed).toHaveText(/Calling…|Ringing…/);
    await page.getByRole('button', { name: 'Hang up call with sip:bob@127.0.0.1:5099' }).click();
    await expect(page.getByText(/^Call with sip:bob@127\.0\.0\.1:5099 ended\. .+/)).toBeVisible({ timeout: 15_000 });
  } else {
    await page.getByRole('button', { name: /^Dismiss: Could not call/ }).click();
    await expect(page.getByTestId('error-banner')).toBeEmpty();
  }

  // Accessibility: every control has an accessible name.
  expect(await unlabelledControls(page)).toEqual([]);
});
