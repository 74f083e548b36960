// The app calls the vouch CLI through a SIP relay that holds the 200 OK back for a second, so the
// CLI's ZRTP Hello (sent right after its 200 OK) reaches the app's media worker first and the
// handshake completes before the app's call layer sees the answer (RFC 6189 §4.1 lets ZRTP start
// as soon as a Hello arrives; Vouch answers early Hellos symmetrically). The SAS must still match
// and the state line must say the call is secure.
//
// Regression: the call layer used to set the state back to 'securing' when the 200 OK came
// after ZRTP had finished (src/main/call/call.ts applyStreams).
import { test, expect } from '@playwright/test';
import { startApp, removeDataDir, newDataDir, type RestartableApp } from './peers/app-instance';
import { FAKE_MEDIA_LAUNCH, hangUp, openApp, placeCall, screenshot, shownSas } from './peers/browser';
import { startSipDelayRelay, type SipDelayRelay } from './peers/sip-delay-relay';
import { startVouchCli, type VouchCli } from './peers/vouch-cli';
import { watchCallTraffic, type CallTraffic } from './peers/call-traffic';

test.use(FAKE_MEDIA_LAUNCH);

const ANSWER_DELAY_MS = 1500;

let app: RestartableApp | undefined;
let cli: VouchCli | undefined;
let relay: SipDelayRelay | undefined;
let cliDataDir: string | undefined;
test.afterEach(async () => {
  await Promise.all([app?.stop(), cli?.stop(), relay?.close()]);
  removeDataDir(app?.dataDir);
  removeDataDir(cliDataDir);
  [app, cli, relay, cliDataDir] = [undefined, undefined, undefined, undefined];
});

test('ZRTP done before the 200 OK arrives: same SAS, and the state line says secure', async ({ browser }) => {
  cliDataDir = newDataDir();
  cli = startVouchCli(['listen', '--data-dir', cliDataDir, '--calls', '1']);
  const [started, listening] = await Promise.all([startApp(), cli.next((l) => l.event === 'listening', 20_000)]);
  app = started;
  relay = await startSipDelayRelay(listening.sipPort as number, ANSWER_DELAY_MS);

  let traffic: CallTraffic | undefined;
  const { page } = await openApp(browser, app.url, 'Alice', (p) => (traffic = watchCallTraffic(p)));
  await placeCall(page, `sip:cli@127.0.0.1:${relay.port}`);
  const cliLine = await cli.next((l) => l.event === 'security' && l.state === 'secure', 15_000);
  expect(await shownSas(page)).toBe((cliLine.sas as string).toUpperCase());
  expect(relay.delayed).toBeGreaterThan(0);
  // Media is keyed and flows: only the reported state is wrong.
  // On failure the message says where audio stopped (frames at the page or not, the worker's stats).
  const heard = () => page.getByRole('meter', { name: /audio$/ }).evaluate((m) => (m as HTMLMeterElement).value);
  await expect
    .poll(heard, { timeout: 10_000 })
    .toBeGreaterThan(0)
    .catch(async (e: Error) => {
      const cliTail = cli?.lines.slice(-5).map((l) => JSON.stringify(l)).join('\n');
      throw new Error(`${e.message}\n${await traffic?.summary()}\nvouch CLI's last lines:\n${cliTail}`);
    });
  await expect(page.getByTestId('call-state')).toHaveText('Secure: compare the code', { timeout: ANSWER_DELAY_MS + 5000 });
  await screenshot(page, 'peers-cli-slow-signalling');
  await hangUp(page);
});
