// First run: the account setup validates field by field with clear messages, then saves and
// leads to the dialer; the saved account survives a reload.
import { test, expect } from '@playwright/test';
import { shellPerFile } from './shell';

const shell = shellPerFile();

test('first-run setup shows a message per field and saves a valid account', async ({ page }) => {
  await page.goto(shell().url);
  await expect(page.getByRole('heading', { name: 'Set up your account' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Call' })).toContainText('Finish setting up your account');

  await page.getByRole('button', { name: 'Save and continue' }).click();
  const form = page.getByRole('form', { name: 'Account setup' });
  await expect(form.getByText('Enter the name the people you call will see.')).toBeVisible();
  await expect(page.getByLabel('Display name', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Direct IP only (no SIP server)', { exact: true }).uncheck();
  await page.getByLabel('Display name', { exact: true }).fill('Alice');
  await page.getByLabel('SIP address', { exact: true }).fill('alice@127.0.0.1');
  await page.getByLabel('Server', { exact: true }).fill('bad host!');
  await expect(form.getByText('A SIP address looks like sip:alice@example.org.')).toBeVisible();
  await expect(form.getByText('Enter the server as host or host:port, like sip.example.org:5060.')).toBeVisible();
  await expect(form.getByText('Enter the password for your SIP account.')).toBeVisible();
  await expect(form.getByText('Enter the name the people you call will see.')).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Please correct the 3 fields marked below.' })).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/ui-setup-errors.png', fullPage: true });

  await page.getByLabel('SIP address', { exact: true }).fill('sip:alice@127.0.0.1');
  await page.getByLabel('Server', { exact: true }).fill('127.0.0.1:9');
  await page.getByLabel('Password', { exact: true }).fill('correct horse');
  await page.getByLabel('Transport', { exact: true }).selectOption('tcp');
  await expect(form.locator('.field-error')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save and continue' }).click();

  await expect(page.getByRole('heading', { name: 'Set up your account' })).toBeHidden();
  await expect(page.getByLabel('Address', { exact: true })).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/ui-setup-done.png', fullPage: true });

  await page.reload();
  await expect(page.getByLabel('Address', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Set up your account' })).toBeHidden();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByLabel('SIP address', { exact: true })).toHaveValue('sip:alice@127.0.0.1');
  await expect(page.getByLabel('Server', { exact: true })).toHaveValue('127.0.0.1:9');
  await expect(page.getByLabel('Transport', { exact: true })).toHaveValue('tcp');
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  // The browser shell keeps it in the 0600 settings file, and Settings says so (issue 22).
  await expect(page.getByText('A password is stored in a file only you can read; leave empty to keep it.')).toBeVisible();
});
