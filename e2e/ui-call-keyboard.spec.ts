// A whole call without the mouse (issue 21): Tab to the address, Enter to call, Tab to
// "Matches", V adds video, arrow keys move the self view, H hangs up. Every stop shows a visible
// focus ring; the shortcuts do nothing while typing in a field, and can be turned off.
import { test, expect, type Page } from '@playwright/test';
import { startFakeCore, type FakeCore } from './ui-fake-core';
import { artifactsDir } from './ui-helpers';
import { fakeMediaLaunchOptions } from './ui-media';

test.use({ launchOptions: fakeMediaLaunchOptions });

let core: FakeCore;
test.beforeEach(async () => {
  core = await startFakeCore();
  artifactsDir();
});
test.afterEach(async () => {
  await core?.stop();
});

/** The focused element's accessible-ish name and whether its focus ring is drawn. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { name: '', ring: false };
    const style = getComputedStyle(el);
    const labels = (el as HTMLInputElement).labels;
    const name = el.getAttribute('aria-label') ?? (labels && labels.length > 0 ? labels[0].textContent : null) ?? el.textContent ?? '';
    return { name: name.trim(), ring: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
  });
}

/** Tab forward until the focused control's name matches; fails after 60 stops. */
async function tabTo(page: Page, name: RegExp) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (name.test(f.name)) {
      expect(f.ring, `focus ring on ${f.name}`).toBe(true);
      return;
    }
  }
  throw new Error(`no control named ${name} reachable by Tab`);
}

test('keyboard only: call, verify the SAS, add video, move the self view, hang up', async ({ page }) => {
  await page.goto(core.url);
  await expect(page.getByLabel('Address', { exact: true })).toBeVisible();
  await tabTo(page, /^Address/);
  await page.keyboard.type('bob@127.0.0.1');
  // Typing "h" and "v" into the field above did not hang up or add video; Enter calls.
  await page.keyboard.press('Enter');
  const state = page.getByTestId('call-state');
  await expect(state).toHaveText('Secure: compare the code');

  await tabTo(page, /^Matches$/);
  await page.keyboard.press('Enter');
  await expect(state).toHaveText('Secure and verified');

  await page.keyboard.press('v');
  await expect(page.getByTestId('remote-video')).toBeVisible();
  await expect(page.locator('.tile.remote')).toHaveAttribute('data-flowing', 'true', { timeout: 10_000 });
  await tabTo(page, /^Your camera, bottom right/);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('.tile.pip')).toHaveAttribute('data-corner', 'top-left');
  await page.screenshot({ path: 'e2e/artifacts/ui-call-keyboard-video.png', fullPage: true });

  await page.keyboard.press('m');
  await expect(page.getByRole('button', { name: 'Unmute' })).toBeVisible();
  await page.keyboard.press('h');
  await expect(page.getByText('Call with Bob ended. You hung up.')).toBeVisible();
  expect(core.commands.map((c) => c.command)).toEqual(expect.arrayContaining(['call', 'setSasVerified', 'addVideo', 'mute', 'hangup']));
});

test('the shortcuts can be turned off', async ({ page }) => {
  await page.goto(core.url);
  await page.getByLabel('Address', { exact: true }).fill('bob@127.0.0.1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('call-state')).toHaveText('Secure: compare the code');
  await tabTo(page, /^Keyboard shortcuts/);
  await page.keyboard.press('Space');
  await expect(page.getByText('H hang up')).toBeHidden();
  await page.keyboard.press('h');
  // A fence, not a pause: the page handles input in order and its commands reach the core in
  // order, so once the click's setSasVerified is in, a hangup from the H before it would be too.
  await page.getByRole('button', { name: 'Matches' }).click();
  await expect.poll(() => core.commands.some((c) => c.command === 'setSasVerified')).toBe(true);
  expect(core.commands.some((c) => c.command === 'hangup')).toBe(false);
  await expect(page.getByTestId('call-state')).toBeVisible();
});
