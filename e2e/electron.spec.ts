// The main flow in the Electron shell (Playwright's _electron.launch on the built out/main/index.js):
// the app frame and the media worker round trip, the first-run setup, a call to the headless vouch
// CLI whose SAS equals the one on screen, hang up. Where the Electron binary was never fetched (it
// is not, on these machines: electron 45 has no install script) the test is skipped with the
// reason printed.
import { test, expect, _electron, type ElectronApplication } from '@playwright/test';
import { newDataDir, removeDataDir } from './peers/app-instance';
import { hangUp, placeCall, screenshot, shownSas } from './peers/browser';
import { electronBinary, ensureDisplay, type Display } from './peers/electron';
import { startVouchCli, type VouchCli } from './peers/vouch-cli';
import { completeSetup } from './ui-helpers';

/** Chromium switches Electron passes on: fake camera and microphone, sound without a gesture. */
const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

let electronApp: ElectronApplication | undefined;
let display: Display | undefined;
let cli: VouchCli | undefined;
let appDataDir: string | undefined;
let cliDataDir: string | undefined;
test.afterEach(async () => {
  await electronApp?.close();
  await Promise.all([display?.stop(), cli?.stop()]);
  removeDataDir(appDataDir);
  removeDataDir(cliDataDir);
  [electronApp, display, cli, appDataDir, cliDataDir] = [undefined, undefined, undefined, undefined, undefined];
});

function skipBecause(reason: string): void {
  console.log(`electron.spec.ts skipped: ${reason}`);
  test.skip(true, reason);
}

test('Electron: app frame, worker round trip, setup, a call to the vouch CLI with the same SAS, hang up', async () => {
  const binary = electronBinary();
  if (!binary.ok) return skipBecause(binary.reason);
  const screen = await ensureDisplay();
  if (!screen.ok) return skipBecause(screen.reason);
  display = screen.value;

  appDataDir = newDataDir();
  const env = { ...process.env, ...(display.display ? { DISPLAY: display.display } : {}) } as Record<string, string>;
  electronApp = await _electron.launch({ executablePath: binary.value, args: ['--no-sandbox', ...FAKE_MEDIA, 'out/main/index.js', '--data-dir', appDataDir, '--host', '127.0.0.1', '--sip-port', '0'], env, timeout: 30_000 });
  const page = await electronApp.firstWindow();
  await expect(page.getByRole('heading', { name: 'Vouch' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByLabel('Connection status')).toHaveText(/^Connected/);
  await page.getByRole('button', { name: 'About', exact: true }).click();
  await expect(page.getByTestId('worker-round-trip')).toHaveText(/^\d+\.\d+ ms$/, { timeout: 10_000 });
  await page.getByRole('button', { name: 'Calls', exact: true }).click();
  await screenshot(page, 'electron-app-frame');

  await completeSetup(page, 'Alice');
  cliDataDir = newDataDir();
  cli = startVouchCli(['listen', '--data-dir', cliDataDir, '--calls', '1']);
  const listening = await cli.next((l) => l.event === 'listening', 20_000);
  await placeCall(page, `sip:cli@127.0.0.1:${listening.sipPort as number}`);
  const [onScreen, cliLine] = await Promise.all([shownSas(page), cli.next((l) => l.event === 'security' && l.state === 'secure', 15_000)]);
  expect(onScreen.toLowerCase()).toBe(cliLine.sas);
  await screenshot(page, 'electron-sas');
  await hangUp(page);
  await cli.next((l) => l.event === 'state' && l.state === 'ended', 10_000);
  await screenshot(page, 'electron-ended');
});
