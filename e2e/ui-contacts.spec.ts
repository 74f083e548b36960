// Contacts and history through the real AppCore (browser shell): a contact is saved in the data
// dir with its security ("Never called"), a bad address is refused beside the field; a call that
// fails lands in History grouped by contact and day, with Call again and Add to contacts, which
// opens the contact form filled in (issue 21).
import { test, expect } from '@playwright/test';
import { shellPerFile } from './shell';
import { completeSetup, unlabelledControls } from './ui-helpers';

const shell = shellPerFile();

test('contacts: add, refuse a bad address, security at a glance, delete; history groups a call and adds its contact', async ({ page }) => {
  await page.goto(shell().url);
  await completeSetup(page, 'Alice');

  await page.getByRole('button', { name: 'Contacts', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
  await page.getByRole('button', { name: 'New contact' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Carol');
  await page.getByLabel('SIP address', { exact: true }).fill('not an address');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByText(/^address: give a SIP address/)).toBeVisible();
  await page.getByLabel('SIP address', { exact: true }).fill('carol@127.0.0.1:5098');
  await page.getByLabel('Notes', { exact: true }).fill('met at the conference');
  await page.getByRole('button', { name: 'Save contact' }).click();
  const carol = page.getByRole('article', { name: 'Contact Carol' });
  await expect(carol).toContainText('sip:carol@127.0.0.1:5098');
  await expect(carol).toContainText('Never called');
  await expect(carol).toContainText('met at the conference');
  expect(await unlabelledControls(page)).toEqual([]);
  await page.screenshot({ path: 'e2e/artifacts/ui-contacts.png', fullPage: true });
  await page.getByRole('button', { name: 'Delete contact Carol' }).click();
  await expect(page.getByText('No contacts yet.', { exact: false })).toBeVisible();

  // A call nobody answers lands in History, grouped under the address, with Call again.
  await page.getByRole('button', { name: 'Calls', exact: true }).click();
  await page.getByLabel('Address', { exact: true }).fill('bob@127.0.0.1:5099');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  // AppCore either refuses the call at once or places it (ui-dialer.spec.ts): wait for one, hang up the other.
  const placed = page.getByTestId('call-state');
  const refused = page.getByTestId('error-banner').filter({ hasText: /Could not call/ });
  await expect(placed.or(refused)).toBeVisible();
  if (await placed.isVisible()) {
    await page.getByRole('button', { name: 'Hang up call with sip:bob@127.0.0.1:5099' }).click();
    await expect(page.getByText(/^Call with sip:bob@127\.0\.0\.1:5099 ended\./)).toBeVisible({ timeout: 15_000 });
  }
  await page.getByRole('button', { name: /^History/ }).click();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('button', { name: /^Call again / })).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: 'e2e/artifacts/ui-history.png', fullPage: true });
  await history.getByRole('button', { name: /^Add to contacts: / }).click();
  await expect(page.getByLabel('SIP address', { exact: true })).toHaveValue(/^sip:bob@127\.0\.0\.1:5099/);
  await page.getByLabel('Name', { exact: true }).fill('Bob');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('article', { name: 'Contact Bob' })).toContainText('Not verified');
  await expect(page.getByRole('article', { name: 'Contact Bob' })).toContainText('You called Bob for the first time');
});
