// Every main screen, against the scripted AppCore (ui-fake-core.ts, fixed SAS, ZID and address
// book) so the pictures are the same on every run: each is checked by axe (0 WCAG 2 A/AA
// violations) and compared to its committed baseline at 1280×800 and 420×800 (screens.ts).
// Update the baselines after a deliberate UI change: npx playwright test e2e/ui-screens.spec.ts --update-snapshots
// The README's pictures: VOUCH_DOCS_SCREENSHOTS=1 npx playwright test e2e/ui-screens.spec.ts
import { test, expect } from '@playwright/test';
import { SCREEN_CONTACTS, SCREEN_HISTORY } from './screen-fixtures';
import { expectScreen } from './screens';
import { incomingCallEvent, startFakeCore, type FakeCore } from './ui-fake-core';
import { fakeMediaLaunchOptions } from './ui-media';

test.use({ launchOptions: fakeMediaLaunchOptions, viewport: { width: 1280, height: 800 }, timezoneId: 'UTC', locale: 'en-GB', colorScheme: 'light' });

// Each test takes several screens (axe, two sizes): room for a loaded 2-core machine.
test.describe.configure({ timeout: 120_000 });

let core: FakeCore;
test.beforeEach(async () => {
  core = await startFakeCore();
});
test.afterEach(async () => {
  await core?.stop();
});

test('first run, the dialer, each settings section and About', async ({ page }) => {
  core.needsSetup = true;
  await page.goto(core.url);
  await expect(page.getByRole('heading', { name: 'Set up your account' })).toBeVisible();
  await expectScreen(page, 'setup');
  await page.getByLabel('Display name', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByText('Enter the name the people you call will see.')).toBeVisible();
  await expectScreen(page, 'setup-errors');
  await page.getByLabel('Display name', { exact: true }).fill('Alice');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByLabel('Address', { exact: true })).toBeVisible();
  await expectScreen(page, 'dialer');

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('form', { name: 'Settings', exact: true })).toBeVisible();
  await page.getByText('Advanced: key agreement and security code type', { exact: true }).click();
  for (const [i, [name, title]] of [
    ['settings-account', 'Account'],
    ['settings-audio-video', 'Audio & video'],
    ['settings-privacy', 'Privacy & security'],
    ['settings-routers', 'Calls through routers'],
  ].entries()) {
    // One page: axe checks it with the first section.
    await expectScreen(page, name, { target: page.getByRole('region', { name: title, exact: true }), axe: i === 0 });
  }

  await page.getByRole('button', { name: 'About', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'About Vouch' })).toBeVisible();
  await expectScreen(page, 'about');
});

test('a call: ringing, the guided SAS step, Verified, devices, video on the stage, security details', async ({ page }) => {
  await page.goto(core.url);
  await expect(page.getByLabel('Address', { exact: true })).toBeVisible();
  core.emit(incomingCallEvent(7));
  await expect(page.getByRole('alertdialog', { name: 'Incoming call' })).toContainText('Carol');
  await expectScreen(page, 'incoming-call');

  await page.getByRole('button', { name: 'Answer call from Carol' }).click();
  // The callee hears the first half and says the second (the caller's step is pictured below).
  await expect(page.getByTestId('sas-say')).toHaveText('XQ');
  await expect(page.getByTestId('sas-hear')).toHaveText('K7');

  await page.getByRole('button', { name: 'Matches' }).click();
  await expect(page.getByTestId('call-state')).toHaveText('Secure and verified');
  await expectScreen(page, 'call-audio-verified');

  // Devices during the call: microphone, speaker and camera, each with the one in use.
  await page.getByRole('button', { name: 'Devices', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Devices' })).toBeVisible();
  await expectScreen(page, 'call-devices', { target: page.getByRole('region', { name: 'Devices' }) });
  await page.getByRole('button', { name: 'Devices', exact: true }).click();

  await page.getByRole('button', { name: 'Add video' }).click();
  await expect(page.locator('.tile.remote')).toHaveAttribute('data-flowing', 'true', { timeout: 10_000 });
  await expect(page.getByText('Adding video…')).toBeHidden();
  // Focus inside the stage keeps the control bar shown (it hides while the pointer rests over video).
  await page.getByRole('button', { name: 'Stop video' }).focus();
  await expectScreen(page, 'call-video', { docs: 'docs/call-stage.png' });

  await page.getByRole('button', { name: 'Verified: show security details' }).click();
  await expect(page.locator('.security-details')).toHaveAttribute('open', '');
  await expectScreen(page, 'call-security-details');
});

test('the caller\'s SAS step, "Doesn\'t match": the screen that says what to do next, and the warning on the next call', async ({ page }) => {
  await page.goto(core.url);
  await page.getByLabel('Address', { exact: true }).fill('bob@127.0.0.1');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(page.getByTestId('sas-say')).toHaveText('K7');
  await expectScreen(page, 'call-sas-step', { docs: 'docs/sas-step.png' });

  await page.getByRole('button', { name: "Doesn't match" }).click();
  const mismatch = page.getByRole('alertdialog', { name: 'The security codes did not match' });
  await expect(mismatch).toBeVisible();
  await expectScreen(page, 'mismatch');

  // Calling again, the keys from the earlier call do not match: the warning stands over the code.
  core.nextCallWarnings = [{ kind: 'cache-mismatch', message: 'The retained secrets differ from the last call.' }];
  await mismatch.getByRole('button', { name: 'Call Bob again' }).click();
  await expect(page.locator('.warning-banner[data-kind="cache-mismatch"]')).toBeVisible();
  await expect(page.getByTestId('sas-say')).toHaveText('K7');
  await expectScreen(page, 'call-sas-warning');
});

test('contacts at every security level, a contact\'s timeline, and History', async ({ page }) => {
  core.history = SCREEN_HISTORY;
  core.contacts = SCREEN_CONTACTS;
  await page.goto(core.url);
  await page.getByRole('button', { name: 'Contacts', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
  await expectScreen(page, 'contacts');

  await page.getByRole('button', { name: 'Dave', exact: true }).click();
  await expect(page.getByRole('article', { name: 'Contact Dave' })).toContainText('Security timeline');
  await expectScreen(page, 'contact-timeline');

  await page.getByRole('button', { name: /^History/ }).click();
  await expect(page.getByRole('region', { name: 'History' }).getByRole('button', { name: /^Call back / }).first()).toBeVisible();
  await expectScreen(page, 'history');
});

test('the call stage: the dial pad with digits sent, and the call on hold', async ({ page }) => {
  await page.goto(core.url);
  await page.getByLabel('Address', { exact: true }).fill('bob@127.0.0.1');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(page.getByTestId('sas-say')).toHaveText('K7');
  await page.getByRole('button', { name: 'Matches' }).click();
  await expect(page.getByTestId('call-state')).toHaveText('Secure and verified');

  await page.getByRole('button', { name: 'Dial pad', exact: true }).click();
  const pad = page.getByRole('group', { name: 'Dial pad' });
  for (const key of ['Send 1', 'Send 2', 'Send pound']) await pad.getByRole('button', { name: key, exact: true }).click();
  await expect(pad.getByLabel('Digits sent')).toHaveText('12#');
  await expectScreen(page, 'call-dial-pad');
  await page.getByRole('button', { name: 'Dial pad', exact: true }).click();
  await expect(pad).toBeHidden();

  await page.getByRole('button', { name: 'Hold', exact: true }).click();
  await expect(page.getByTestId('call-state')).toHaveText('On hold');
  await expect(page.getByRole('button', { name: 'Resume', exact: true })).toBeVisible();
  await expectScreen(page, 'call-held');
});
