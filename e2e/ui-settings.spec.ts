// Settings: ZRTP options, codecs and the account are saved through AppCore and are still there
// after a reload; the ZRTP cache reset asks first.
import { test, expect } from '@playwright/test';
import { shellPerFile } from './shell';
import { completeSetup, ensureSetUp, unlabelledControls } from './ui-helpers';

const shell = shellPerFile();

test('settings save, and a reload shows the saved values', async ({ page }) => {
  await page.goto(shell().url);
  await completeSetup(page, 'Alice');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('form', { name: 'Settings', exact: true });
  await expect(settings).toBeVisible();

  await page.getByLabel('Display name', { exact: true }).fill('Alice Liddell');
  await page.getByLabel('Two words (B256)', { exact: true }).check();
  await page.getByLabel('Allow SDES with peers that have no ZRTP', { exact: true }).check();
  await page.getByLabel('Diffie-Hellman 2048 (DH2k)', { exact: true }).check();
  await page.getByLabel('NIST P-384 (EC38)', { exact: true }).uncheck();
  await page.getByRole('button', { name: 'Move Diffie-Hellman 2048 (DH2k) up' }).click();
  await page.getByLabel('G.711 A-law (PCMA)', { exact: true }).uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-status')).toHaveText('Settings saved.');
  await page.screenshot({ path: 'e2e/artifacts/ui-settings-saved.png', fullPage: true });
  expect(await unlabelledControls(page)).toEqual([]);

  await page.reload();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByLabel('Display name', { exact: true })).toHaveValue('Alice Liddell');
  await expect(page.getByLabel('Two words (B256)', { exact: true })).toBeChecked();
  await expect(page.getByLabel('4 characters (B32)', { exact: true })).not.toBeChecked();
  await expect(page.getByLabel('Allow SDES with peers that have no ZRTP', { exact: true })).toBeChecked();
  await expect(page.getByLabel('NIST P-384 (EC38)', { exact: true })).not.toBeChecked();
  await expect(page.getByLabel('G.711 A-law (PCMA)', { exact: true })).not.toBeChecked();
  const order = await page.locator('.ordered-choice').nth(1).locator('li[data-used="true"] label').allTextContents();
  expect(order).toEqual(['X25519 (X255)', 'NIST P-256 (EC25)', 'Diffie-Hellman 2048 (DH2k)', 'Diffie-Hellman 3072 (DH3k)']);
});

test('an invalid account field is refused beside the field, and the cache reset asks first', async ({ page }) => {
  await page.goto(shell().url);
  await ensureSetUp(page, 'Alice');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('SIP address', { exact: true }).fill('not an address');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('A SIP address looks like sip:alice@example.org.')).toBeVisible();
  await expect(page.getByTestId('settings-status')).toHaveText('Please correct the account fields marked above.');
  await page.getByLabel('SIP address', { exact: true }).fill('');

  await page.getByRole('button', { name: 'Reset ZRTP cache…' }).click();
  await expect(page.getByText('Forget every peer’s security identity?'.replace('’', "'"))).toBeVisible();
  await page.getByRole('button', { name: 'Yes, forget all identities' }).click();
  await expect(page.getByTestId('settings-status')).toContainText('All security identities were forgotten');
  await page.screenshot({ path: 'e2e/artifacts/ui-settings-cache-reset.png', fullPage: true });
});
