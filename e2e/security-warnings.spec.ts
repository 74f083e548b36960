// Real app instances (browser shell + AppCore, own data dirs) meet the two ZRTP warnings that ask
// to compare the SAS again (RFC 6189 §4.3.2, ARCHITECTURE.md "new security identity"):
// - cache mismatch: after a verified call, Alice's cached rs1 for Bob is altered while her app is
//   stopped; the next call shows the full-width cache-mismatch warning and no Verified;
// - new identity: Bob's address is answered by a fresh instance (new data dir, new ZID) on the
//   same SIP port; Alice sees the new-identity warning and no Verified.
import { test, expect, type Browser } from '@playwright/test';
import { newDataDir, removeDataDir, startApp, type RestartableApp } from './peers/app-instance';
import { FAKE_MEDIA_LAUNCH, answer, bothConfirm, hangUp, openApp, placeCall, screenshot, securityWarning, shownSas, type AppPage } from './peers/browser';
import { corruptRetainedSecret, readZrtpCache } from './peers/zrtp-cache';
import { peerPort } from '../test/interop/ports';

test.use(FAKE_MEDIA_LAUNCH);

const running: RestartableApp[] = [];
const dataDirs: string[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.stop()));
  for (const d of dataDirs.splice(0)) removeDataDir(d);
});

async function start(dataDir: string, sipPort?: number): Promise<RestartableApp> {
  const app = await startApp({ dataDir, sipPort });
  running.push(app);
  return app;
}

async function stop(app: RestartableApp, page: AppPage): Promise<void> {
  await page.close();
  running.splice(running.indexOf(app), 1);
  await app.stop();
}

/** Alice calls Bob, both confirm the SAS (Verified), Alice hangs up. */
async function verifiedCall(browser: Browser, alice: RestartableApp, bob: RestartableApp, step: string): Promise<{ a: AppPage; b: AppPage }> {
  const a = await openApp(browser, alice.url, 'Alice');
  const b = await openApp(browser, bob.url, 'Bob');
  await placeCall(a.page, `sip:bob@127.0.0.1:${bob.sipPort}`);
  await answer(b.page);
  await bothConfirm(a.page, b.page);
  await screenshot(a.page, `${step}-verified`);
  await hangUp(a.page);
  return { a, b };
}

test('an altered ZRTP cache: the cache-mismatch warning asks to compare the SAS again, Verified is gone', async ({ browser }) => {
  const aliceDir = newDataDir();
  const bobDir = newDataDir();
  dataDirs.push(aliceDir, bobDir);
  let alice = await start(aliceDir);
  const bob = await start(bobDir);
  const { a, b } = await verifiedCall(browser, alice, bob, 'security-cache-mismatch-1');

  const bobZid = readZrtpCache(bobDir).zid;
  await stop(alice, a);
  const before = corruptRetainedSecret(aliceDir, bobZid);
  expect(before.verified).toBe(true);
  // Only rs1 was cached (one call so far): nothing else can match after the change.
  expect(before.rs2).toBeUndefined();

  alice = await start(aliceDir);
  const a2 = await openApp(browser, alice.url, 'Alice');
  await placeCall(a2.page, `sip:bob@127.0.0.1:${bob.sipPort}`);
  await answer(b.page);
  const warning = securityWarning(a2.page, 'cache-mismatch');
  await expect(warning).toBeVisible({ timeout: 15_000 });
  await expect(warning).toHaveAttribute('role', 'alert');
  await expect(warning).toContainText('The keys from earlier calls with this person do not match.');
  await expect(warning).toContainText('Compare the code below again');
  // Bob's rs1 no longer matches what Alice proves either (§4.3.2: both ends detect it).
  await expect(securityWarning(b.page, 'cache-mismatch')).toBeVisible({ timeout: 15_000 });
  const sas = await shownSas(a2.page);
  expect(await shownSas(b.page)).toBe(sas);
  await expect(a2.page.getByText('Verified', { exact: true })).toHaveCount(0);
  await expect(a2.page.getByTestId('call-state')).not.toHaveText('Secure and verified');
  await expect(a2.page.getByRole('button', { name: 'Matches' })).toBeVisible();
  await expect(a2.page.getByText('Read this aloud; does your partner hear the same?')).toBeVisible();
  // Full width: the banner spans the SAS panel.
  const [banner, panel] = await Promise.all([warning.boundingBox(), a2.page.locator('.sas-panel').boundingBox()]);
  expect(banner!.width).toBeGreaterThan(panel!.width * 0.9);
  await screenshot(a2.page, 'security-cache-mismatch-warning');
  await screenshot(b.page, 'security-cache-mismatch-warning-bob');

  // Comparing again and confirming clears the warning and verifies the new secret.
  await bothConfirm(a2.page, b.page);
  await expect(warning).toHaveCount(0);
  await screenshot(a2.page, 'security-cache-mismatch-reverified');
  await hangUp(a2.page);
  await Promise.all([a2.close(), b.close()]);
});

test('a new identity behind a known address: the new-identity warning appears, Verified is gone', async ({ browser }) => {
  const aliceDir = newDataDir();
  const bobDir = newDataDir();
  const otherDir = newDataDir();
  dataDirs.push(aliceDir, bobDir, otherDir);
  const alice = await start(aliceDir);
  // The impostor takes this port once Bob has stopped: a peer port (test/interop/ports.ts), which
  // no other socket is handed in between, unlike a port the kernel chose for port 0.
  const bob = await start(bobDir, await peerPort());
  const { a, b } = await verifiedCall(browser, alice, bob, 'security-new-identity-1');
  const bobZid = readZrtpCache(bobDir).zid;

  await stop(bob, b);
  const impostor = await start(otherDir, bob.sipPort);
  expect(readZrtpCache(otherDir).zid).not.toBe(bobZid);
  const c = await openApp(browser, impostor.url, 'Not Bob');
  await placeCall(a.page, `sip:bob@127.0.0.1:${bob.sipPort}`);
  await answer(c.page);

  const warning = securityWarning(a.page, 'new-identity');
  await expect(warning).toBeVisible({ timeout: 15_000 });
  await expect(warning).toHaveAttribute('role', 'alert');
  await expect(warning).toContainText('This address has a new security identity.');
  await expect(warning).toContainText('Compare the code below again');
  await expect(a.page.getByText('Verified', { exact: true })).toHaveCount(0);
  await expect(a.page.getByTestId('call-state')).not.toHaveText('Secure and verified');
  await expect(a.page.getByRole('button', { name: 'Matches' })).toBeVisible();
  // The same SAS on both ends: the warning is about who answers, not a broken handshake.
  expect(await shownSas(c.page)).toBe(await shownSas(a.page));
  await screenshot(a.page, 'security-new-identity-warning');
  await screenshot(c.page, 'security-new-identity-callee');
  await hangUp(a.page);
  // Alice's cache now maps the address to the new ZID.
  expect(readZrtpCache(aliceDir).identities[`sip:bob@127.0.0.1:${bob.sipPort}`]).toBe(readZrtpCache(otherDir).zid);
  // Her address book says so in red: the key changed since she verified Bob, and when (issue 21).
  await a.page.getByRole('button', { name: 'History', exact: false }).click();
  // One click makes the contact (issue 21); its name comes from the call, so name it Bob here.
  await a.page.getByRole('button', { name: /^Add to contacts: / }).first().click();
  await a.page.getByRole('button', { name: /^Edit the new contact / }).click();
  await a.page.getByLabel('Name', { exact: true }).fill('Bob');
  await a.page.getByRole('button', { name: 'Save contact' }).click();
  const contact = a.page.getByRole('article', { name: 'Contact Bob' });
  await expect(contact.locator('[data-level="key-changed"]')).toHaveText('Key changed since verified');
  await expect(contact).toContainText("Bob's key changed");
  await expect(contact).toContainText('You verified Bob with the code');
  await screenshot(a.page, 'security-new-identity-contact');
  await Promise.all([a.close(), c.close()]);
});
