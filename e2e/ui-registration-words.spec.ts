// Signing in to the server, as the dialer says it (issue 21): the registration events AppCore
// sends (state, SIP status, raw reason) come out as a person's words, with the status and the raw
// reason behind "Details". Against the scripted AppCore, which emits the events a registrar would cause.
import { test, expect } from '@playwright/test';
import { startFakeCore, type FakeCore } from './ui-fake-core';

let core: FakeCore;
test.beforeEach(async () => {
  core = await startFakeCore();
});
test.afterEach(async () => {
  await core?.stop();
});

test('registration in words: signing in, wrong password with Details, no answer, signed in', async ({ page }) => {
  await page.goto(core.url);
  const status = page.getByRole('status', { name: 'Registration status' });
  await expect(page.getByLabel('Address', { exact: true })).toBeVisible();
  const address = 'sip:alice@example.org';

  core.emit({ type: 'registration', registration: { state: 'registering', address } });
  await expect(status).toHaveText('Signing in as alice@example.org…');

  core.emit({ type: 'registration', registration: { state: 'failed', address, reason: 'REGISTER failed: 401 Unauthorized', retryInSeconds: 8 } });
  await expect(status).toHaveText('Wrong user name or password. Trying again in 8 s.');
  const details = page.locator('.registration-details');
  await details.getByText('Details').click();
  await expect(details).toContainText('The server refused the sign-in (401 Unauthorized).');

  core.emit({ type: 'registration', registration: { state: 'registering', address, reason: 'no answer from example.org:5060', retryInSeconds: 4 } });
  await expect(status).toHaveText("Can't reach example.org yet. Trying again in 4 s.");

  core.emit({ type: 'registration', registration: { state: 'registered', address } });
  await expect(status).toHaveText('Signed in as alice@example.org');
  await expect(details).toBeHidden();
});
