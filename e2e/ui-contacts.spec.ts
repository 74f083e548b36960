// Contacts and history through the real AppCore (browser shell): a contact is saved in the data
// dir with its security ("Never called"), a bad address is refused beside the field; a call that
// fails lands in History grouped by contact and day, with Call again and Add to contacts, which
// makes the contact in one click (named from the address) with Undo and Edit; the timeline shows
// local time (the page's zone is pinned to Tokyo, UTC+9) with the exact UTC moment as its title
// (issue 21).
import { test, expect } from '@playwright/test';
import { shellPerFile } from './shell';
import { completeSetup, unlabelledControls } from './ui-helpers';

const shell = shellPerFile();
// Local time must not depend on the machine running the test: a fixed zone far from UTC.
test.use({ timezoneId: 'Asia/Tokyo', locale: 'en-GB' });

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
  // One click makes the contact, named from the address's user part, and shows it.
  await history.getByRole('button', { name: /^Add to contacts: / }).click();
  const added = page.getByRole('article', { name: 'Contact bob' });
  await expect(added).toContainText(/sip:bob@127\.0\.0\.1:5099/);
  await expect(added.getByRole('status')).toHaveText(/^Added bob to your contacts\./);
  // Undo removes it again; adding it once more and editing the name gives Bob.
  await added.getByRole('button', { name: 'Undo: remove bob from contacts' }).click();
  await expect(page.getByText('No contacts yet.', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: /^History/ }).click();
  await history.getByRole('button', { name: /^Add to contacts: / }).click();
  await page.getByRole('button', { name: 'Edit the new contact bob' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Bob');
  await page.getByRole('button', { name: 'Save contact' }).click();
  const bob = page.getByRole('article', { name: 'Contact Bob' });
  await expect(bob).toContainText('Not verified');
  await expect(bob).toContainText('You called Bob for the first time');
  // The timeline's time is Tokyo's (UTC+9), the exact UTC moment in its title.
  const time = bob.locator('.security-timeline time').first();
  const iso = (await time.getAttribute('title')) ?? '';
  expect(iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const tokyo = new Date(Date.parse(iso) + 9 * 3600_000);
  const hhmm = `${String(tokyo.getUTCHours()).padStart(2, '0')}:${String(tokyo.getUTCMinutes()).padStart(2, '0')}`;
  // The month's short name differs between ICU versions ("Sep" / "Sept"): day, year and time are exact.
  await expect(time).toHaveText(new RegExp(`^${tokyo.getUTCDate()} [A-Z][a-z]{2,3} ${tokyo.getUTCFullYear()}, ${hhmm}$`));
});
