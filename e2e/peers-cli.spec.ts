// The app calls the headless `vouch listen` CLI (which auto-answers and sends G.711): the SAS on
// screen equals the SAS the CLI prints, the call is secure on both ends, the CLI's tone moves the
// page's audio meter, and hanging up in the app ends the CLI's call.
import { test, expect } from '@playwright/test';
import { startApp, removeDataDir, newDataDir, type RestartableApp } from './peers/app-instance';
import { FAKE_MEDIA_LAUNCH, hangUp, openApp, placeCall, screenshot, shownSas } from './peers/browser';
import { startVouchCli, type CliLine, type VouchCli } from './peers/vouch-cli';

test.use(FAKE_MEDIA_LAUNCH);

let app: RestartableApp | undefined;
let cli: VouchCli | undefined;
let cliDataDir: string | undefined;
test.afterEach(async () => {
  await Promise.all([app?.stop(), cli?.stop()]);
  removeDataDir(app?.dataDir);
  removeDataDir(cliDataDir);
  [app, cli, cliDataDir] = [undefined, undefined, undefined];
});

const cliSecure = (l: CliLine) => l.event === 'security' && l.state === 'secure';

test('the app calls the vouch CLI: the SAS on screen equals the CLI\'s', async ({ browser }) => {
  cliDataDir = newDataDir();
  cli = startVouchCli(['listen', '--data-dir', cliDataDir, '--calls', '1']);
  const [started, listening] = await Promise.all([startApp(), cli.next((l) => l.event === 'listening', 20_000)]);
  app = started;
  const sipPort = listening.sipPort as number;
  expect(sipPort).toBeGreaterThan(0);

  const { page } = await openApp(browser, app.url, 'Alice');
  await placeCall(page, `sip:cli@127.0.0.1:${sipPort}`);
  await screenshot(page, 'peers-cli-calling');

  const [onScreen, cliLine] = await Promise.all([shownSas(page), cli.next(cliSecure, 15_000)]);
  expect(onScreen).toMatch(/^[A-Z0-9]{4}$/);
  expect(cliLine.sas).toMatch(/^[a-z0-9]{4}$/);
  expect(onScreen.toLowerCase()).toBe(cliLine.sas);
  expect(cliLine.verified).toBe(false);
  // The state line is left out: it can stay "Securing…" (peers-cli-slow-signalling.spec.ts).
  // The CLI's G.711 tone reaches the page: the peer's audio meter moves.
  await expect.poll(() => page.getByRole('meter', { name: /audio$/ }).evaluate((m) => (m as HTMLMeterElement).value), { timeout: 10_000 }).toBeGreaterThan(0);
  await screenshot(page, 'peers-cli-sas');

  await hangUp(page);
  await cli.next((l) => l.event === 'state' && l.state === 'ended', 10_000);
  await screenshot(page, 'peers-cli-ended');
});
