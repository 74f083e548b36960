// Settings: ZRTP options, codecs, the account, the call timeout and the advanced network settings
// are saved through AppCore and are still there after a reload; the ZRTP cache reset asks first.
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
  await page.getByLabel('Do not disturb', { exact: true }).check();
  // The ZRTP choices live under Privacy & security, folded under "Advanced" (issue 21).
  await page.getByText('Advanced: key agreement and security code type', { exact: true }).click();
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
  await expect(page.getByLabel('Do not disturb', { exact: true })).toBeChecked();
  await page.getByText('Advanced: key agreement and security code type', { exact: true }).click();
  await expect(page.getByLabel('Two words (B256)', { exact: true })).toBeChecked();
  await expect(page.getByLabel('4 characters (B32)', { exact: true })).not.toBeChecked();
  await expect(page.getByLabel('Allow SDES with peers that have no ZRTP', { exact: true })).toBeChecked();
  await expect(page.getByLabel('NIST P-384 (EC38)', { exact: true })).not.toBeChecked();
  await expect(page.getByLabel('G.711 A-law (PCMA)', { exact: true })).not.toBeChecked();
  const order = await page.locator('.ordered-choice').nth(1).locator('li[data-used="true"] label').allTextContents();
  // The post-quantum hybrid leads the default list (issue 25).
  expect(order).toEqual(['Post-quantum X25519 + ML-KEM-512 (X1M1)', 'X25519 (X255)', 'NIST P-256 (EC25)', 'Diffie-Hellman 2048 (DH2k)', 'Diffie-Hellman 3072 (DH3k)']);
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

test('the call timeout and the folded advanced network settings: a wrong value unfolds them, saved values survive a reload', async ({ page }) => {
  await page.goto(shell().url);
  await ensureSetUp(page, 'Alice');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const advanced = page.locator('details.advanced-network');
  await expect(advanced).not.toHaveAttribute('open');
  await expect(page.getByLabel('SIP port (UDP and TCP)', { exact: true })).toBeHidden();

  await page.getByText('Advanced network', { exact: true }).click();
  const port = page.getByLabel('SIP port (UDP and TCP)', { exact: true });
  const savedPort = await port.inputValue();
  await port.fill('70000');
  await page.getByText('Advanced network', { exact: true }).click();
  await expect(port).toBeHidden();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-status')).toHaveText('Please correct the fields marked above.');
  await expect(port).toBeVisible();
  await expect(page.locator('[data-field="sipPort"]')).toHaveText('Enter a port from 0 to 65535 (0: any free port).');

  await port.fill(savedPort);
  await page.getByLabel('End a call after N seconds without media', { exact: true }).fill('45');
  await page.getByLabel('Keep-alive to the server every N seconds', { exact: true }).fill('10');
  await page.getByLabel('DNS servers', { exact: true }).fill('127.0.0.1:5353, [::1]:5353');
  await page.getByLabel('Outbound proxy', { exact: true }).fill('127.0.0.1:5999;transport=tcp');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-status')).toHaveText('Settings saved.');
  await page.screenshot({ path: 'e2e/artifacts/ui-settings-advanced-network.png', fullPage: true });
  expect(await unlabelledControls(page)).toEqual([]);

  await page.reload();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByLabel('End a call after N seconds without media', { exact: true })).toHaveValue('45');
  await expect(advanced).not.toHaveAttribute('open');
  await page.getByText('Advanced network', { exact: true }).click();
  await expect(page.getByLabel('Keep-alive to the server every N seconds', { exact: true })).toHaveValue('10');
  await expect(page.getByLabel('DNS servers', { exact: true })).toHaveValue('127.0.0.1:5353, [::1]:5353');
  await expect(page.getByLabel('Outbound proxy', { exact: true })).toHaveValue('127.0.0.1:5999;transport=tcp');
  await expect(page.getByLabel('SIP port (UDP and TCP)', { exact: true })).toHaveValue(savedPort);
});
