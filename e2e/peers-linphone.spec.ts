// The app calls linphonec (Debian linphone-cli: bzrtp, auto-answer, ZRTP mandatory) on loopback:
// the SAS on screen equals the auth token linphonec prints. Skipped only when linphonec is missing
// outside CI (findPeer throws in CI, failing the spec).
import { test, expect } from '@playwright/test';
import { findPeer } from '../test/interop/peers';
import { LINPHONE_HELLO_WAV, startLinphone, type Linphone } from '../test/interop/zrtp/linphone';
import { startApp, removeDataDir, type RestartableApp } from './peers/app-instance';
import { FAKE_MEDIA_LAUNCH, hangUp, openApp, placeCall, screenshot, shownSas } from './peers/browser';
import { peerPort, peerPorts } from '../test/interop/ports';

test.use(FAKE_MEDIA_LAUNCH);

const linphonec = findPeer('linphonec', 'linphone-cli');
/** linphonec's stdout once ZRTP is done, e.g. `Call 1 is fully encrypted and auth token is 4xfk.` */
const AUTH_TOKEN = /Call 1 is fully encrypted and auth token is (\S+?)\.?\s*$/m;

let app: RestartableApp | undefined;
let linphone: Linphone | undefined;
test.afterEach(async () => {
  await Promise.all([app?.stop(), linphone?.stop()]);
  removeDataDir(app?.dataDir);
  [app, linphone] = [undefined, undefined];
});

test('the app calls linphonec: the SAS on screen equals linphonec\'s auth token', async ({ browser }) => {
  test.skip(!linphonec, 'linphonec not found: apt-get install linphone-cli');
  const [sipPort, rtpPort, videoRtpPort] = [await peerPort(), await peerPorts(2, 2), await peerPorts(2, 2)];
  [linphone, app] = await Promise.all([startLinphone({ binary: linphonec!, sipPort, rtpPort, videoRtpPort, playFile: LINPHONE_HELLO_WAV }), startApp()]);

  const { page } = await openApp(browser, app.url, 'Alice');
  await placeCall(page, `sip:linphone@127.0.0.1:${sipPort}`);
  await screenshot(page, 'peers-linphone-calling');

  const [onScreen, token] = await Promise.all([shownSas(page), linphone.waitFor(AUTH_TOKEN, 15_000)]);
  expect(onScreen).toMatch(/^[A-Z0-9]{4}$/);
  expect(onScreen.toLowerCase()).toBe(token[1].toLowerCase());
  await expect(page.getByRole('button', { name: 'Matches' })).toBeVisible();
  await screenshot(page, 'peers-linphone-sas');

  await hangUp(page);
  await linphone.waitFor(/Call 1 with .* ended/m, 10_000);
  await screenshot(page, 'peers-linphone-ended');
});
