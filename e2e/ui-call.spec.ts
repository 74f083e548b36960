// The call screens and the renderer's real media, against a scripted AppCore (ui-fake-core.ts)
// that loops the page's encoded frames back: state line, SAS compare and Verified, "Add video"
// with a remote canvas showing decoded VP8 from the fake camera, audio meters with signal from
// the fake microphone through Opus, keyframe requests reaching the encoder, stats, warnings,
// an incoming call, hang up.
import { test, expect } from '@playwright/test';
import { incomingCallEvent, startFakeCore, type FakeCore } from './ui-fake-core';
import { artifactsDir, unlabelledControls } from './ui-helpers';
import { canvasPixels, fakeMediaLaunchOptions, meter } from './ui-media';

test.use({ launchOptions: fakeMediaLaunchOptions });

let core: FakeCore;
test.beforeEach(async () => {
  core = await startFakeCore();
  artifactsDir();
});
test.afterEach(async () => {
  await core?.stop();
});

test('a call: securing, SAS compare, Verified, audio both ways, Add video, keyframe request, stats, hang up', async ({ page }) => {
  await page.goto(core.url);
  await page.getByLabel('Address', { exact: true }).fill('bob@127.0.0.1');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  const state = page.getByTestId('call-state');
  await expect(state).toHaveText('Secure: compare the code');
  await expect(page.getByTestId('sas')).toContainText('K7XQ');
  await expect(page.getByText('Security code: K 7 X Q')).toBeAttached();
  await expect(page.getByText('Read this aloud; does your partner hear the same?')).toBeVisible();
  // Guided by voice (issue 21): the caller says the first half and listens for the second.
  await expect(page.getByTestId('sas-say')).toHaveText('K7');
  await expect(page.getByTestId('sas-hear')).toHaveText('XQ');
  await expect(page.getByText('(K as in Kilo, 7 (seven))')).toBeVisible();
  // Audio-only: the peer's initials and name on the stage.
  await expect(page.locator('.peer-card .avatar')).toHaveText('B');
  await page.screenshot({ path: 'e2e/artifacts/ui-call-sas.png', fullPage: true });

  // Opus from the fake microphone goes out, comes back, and both meters move.
  await expect.poll(() => core.frames.audio, { timeout: 10_000 }).toBeGreaterThan(20);
  expect([...core.frames.codecs]).toContain('opus');
  await expect.poll(() => meter(page, 'Your microphone'), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect.poll(() => meter(page, "Bob's audio"), { timeout: 10_000 }).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Matches' }).click();
  await expect(state).toHaveText('Secure and verified');
  await expect(page.locator('.sas-panel .badge.verified')).toHaveText('Verified');
  expect(core.commands.find((c) => c.command === 'setSasVerified')?.args).toEqual({ callId: 1, verified: true });

  await page.getByRole('button', { name: 'Add video' }).click();
  await expect(page.getByText('Adding video…')).toBeVisible();
  await expect(page.getByTestId('remote-video')).toBeVisible();
  await expect(page.getByTestId('local-preview')).toBeVisible();
  await expect.poll(async () => (await canvasPixels(page)).sum, { timeout: 10_000 }).toBeGreaterThan(0);
  const first = await canvasPixels(page);
  await expect.poll(async () => (await canvasPixels(page)).fingerprint, { timeout: 10_000 }).not.toBe(first.fingerprint);

  // A PLI from the peer (the event peerWantsKeyframe) makes the encoder send a keyframe well before its 10 s interval.
  await expect.poll(() => core.frames.videoKeyframes, { timeout: 5_000 }).toBeGreaterThan(0);
  const keyframes = core.frames.videoKeyframes;
  core.emit({ type: 'peerWantsKeyframe', callId: 1 });
  await expect.poll(() => core.frames.videoKeyframes, { timeout: 3_000 }).toBeGreaterThan(keyframes);

  // The self view is dragged to another corner.
  const pip = page.locator('.tile.pip');
  await expect(pip).toHaveAttribute('data-corner', 'bottom-right');
  const stageBox = (await page.getByTestId('call-stage').boundingBox())!;
  const pipBox = (await pip.boundingBox())!;
  await page.mouse.move(pipBox.x + pipBox.width / 2, pipBox.y + pipBox.height / 2);
  await page.mouse.down();
  await page.mouse.move(stageBox.x + 40, stageBox.y + 40, { steps: 5 });
  await page.mouse.up();
  await expect(pip).toHaveAttribute('data-corner', 'top-left');

  // The control bar hides while the pointer rests over video and comes back on movement.
  await page.locator('.caller-name').click();
  const bar = page.getByRole('toolbar', { name: 'Call controls' });
  await expect(bar).toHaveAttribute('data-hidden', 'true', { timeout: 6_000 });
  await page.mouse.move(300, 400);
  await page.mouse.move(320, 420);
  await expect(bar).toHaveAttribute('data-hidden', 'false');
  // Verified shrinks to a badge that opens the security details.
  await page.getByRole('button', { name: 'Verified: show security details' }).click();
  await expect(page.locator('.security-details')).toHaveAttribute('open', '');

  await page.getByText('Call statistics').click();
  await expect(page.locator('.stats-panel')).toContainText('Video vp8');
  await expect(page.locator('.stats-panel')).toContainText('20.0 %');
  await expect(page.locator('.security-details')).toContainText(/Key agreement\s*X25519 \(X255\)/);
  await expect(page.locator('.security-details')).toContainText(/Video stream\s*secure \(multistream\)/);
  await page.screenshot({ path: 'e2e/artifacts/ui-call-video.png', fullPage: true });
  expect(await unlabelledControls(page)).toEqual([]);

  await page.getByRole('button', { name: 'Stop video' }).click();
  await expect(page.getByTestId('remote-video')).toBeHidden();

  await page.getByRole('button', { name: 'Dial pad' }).click();
  await page.getByRole('button', { name: 'Send 5' }).click();
  await expect(page.getByRole('status', { name: 'Digits sent' })).toHaveText('5');
  expect(core.commands.some((c) => c.command === 'sendDtmf')).toBe(true);

  await page.getByRole('button', { name: 'Hang up call with Bob' }).click();
  await expect(page.getByText('Call with Bob ended. You hung up.')).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/ui-call-ended.png', fullPage: true });
});

test('a cache mismatch is a full-width warning; "Doesn\'t match" ends the call and says why', async ({ page }) => {
  core.nextCallWarnings = [{ kind: 'cache-mismatch', message: 'The retained secrets differ from the last call.' }];
  await page.goto(core.url);
  await page.getByLabel('Address', { exact: true }).fill('sip:bob@127.0.0.1');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  const warning = page.locator('.warning-banner[data-kind="cache-mismatch"]');
  await expect(warning).toContainText('The keys from earlier calls with this person do not match.');
  await expect(warning).toContainText('Compare the code below again');
  await page.screenshot({ path: 'e2e/artifacts/ui-call-cache-mismatch.png', fullPage: true });

  await page.getByRole('button', { name: "Doesn't match" }).click();
  await expect(page.getByTestId('error-banner')).toContainText('the security codes did not match');
  expect(core.commands.find((c) => c.command === 'setSasVerified')?.args).toEqual({ callId: 1, verified: false });
  await expect(page.getByText('Call with Bob ended. The call was ended because the security code did not match')).toBeVisible();
  expect(core.commands.some((c) => c.command === 'hangup')).toBe(false);
  // A clear screen, not only a banner: hung up, someone may be listening, what next (issue 21).
  const screen = page.getByRole('alertdialog', { name: 'The security codes did not match' });
  await expect(screen).toContainText('The call with Bob was hung up. Someone may have been listening');
  await expect(screen).toContainText('Reach Bob another way');
  await page.screenshot({ path: 'e2e/artifacts/ui-call-mismatch-screen.png', fullPage: true });
  await screen.getByRole('button', { name: 'Close' }).click();
  await expect(screen).toBeHidden();
});

test('a call AppCore refuses shows its typed error in words beside the dialer', async ({ page }) => {
  core.callError = { code: 'unavailable', message: 'calling is not available in this build yet' };
  await page.goto(core.url);
  await page.getByLabel('Address', { exact: true }).fill('bob@127.0.0.1:5099');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(page.getByTestId('error-banner')).toHaveText(/^Could not call sip:bob@127\.0\.0\.1:5099: calling is not available in this build yet\./);
  await page.screenshot({ path: 'e2e/artifacts/ui-dialer-unavailable.png', fullPage: true });
  await page.getByRole('button', { name: /^Dismiss: Could not call/ }).click();
  await expect(page.getByTestId('error-banner')).toBeEmpty();
});

test('an incoming call rings with Answer / Reject and answering opens the call', async ({ page }) => {
  await page.goto(core.url);
  await expect(page.getByLabel('Address', { exact: true })).toBeVisible();
  core.emit(incomingCallEvent(7));
  const dialog = page.getByRole('alertdialog', { name: 'Incoming call' });
  await expect(dialog).toContainText('Carol');
  await expect(page.locator('audio.ringtone')).toHaveAttribute('src', /ringtone.*\.wav$/);
  await page.screenshot({ path: 'e2e/artifacts/ui-call-incoming.png', fullPage: true });
  await page.getByRole('button', { name: 'Answer call from Carol' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('call-state')).toHaveText(/Securing…|Secure: compare the code/);
  expect(core.commands.find((c) => c.command === 'answer')?.args).toEqual({ callId: 7, video: false });
});

test('the ringtone rings on the speaker chosen in Settings', async ({ page }) => {
  await page.goto(core.url);
  await expect(page.getByLabel('Address', { exact: true })).toBeVisible();
  // Device ids are given out once the page may use the microphone (the fake UI grants it).
  const speaker = await page.evaluate(async () => {
    for (const t of (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks()) t.stop();
    return (await navigator.mediaDevices.enumerateDevices()).find((d) => d.kind === 'audiooutput' && d.deviceId !== '' && d.deviceId !== 'default')?.deviceId ?? '';
  });
  expect(speaker, 'a speaker other than the default').not.toBe('');
  core.speakerId = speaker;
  await page.reload();
  await expect(page.getByLabel('Address', { exact: true })).toBeVisible();
  core.emit(incomingCallEvent(8));
  const ringtone = page.locator('audio.ringtone');
  await expect.poll(() => ringtone.evaluate((a) => (a as HTMLAudioElement & { sinkId: string }).sinkId)).toBe(speaker);
  await expect.poll(() => ringtone.evaluate((a) => !(a as HTMLAudioElement).paused)).toBe(true);
});

test('a G.711 call: the renderer encodes PCMU from the call state (CallInfo.codecs), never one Opus frame first, and plays it back', async ({ page }) => {
  core.audioCodec = 'pcmu';
  await page.goto(core.url);
  await page.getByLabel('Address', { exact: true }).fill('sip:bob@127.0.0.1');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  await expect.poll(() => core.frames.audio, { timeout: 10_000 }).toBeGreaterThan(50);
  // Issue 16: the settings prefer Opus, but the call negotiated PCMU: every frame is PCMU.
  expect([...core.frames.codecs]).toEqual(['pcmu']);
  await expect.poll(() => meter(page, "Bob's audio"), { timeout: 10_000 }).toBeGreaterThan(0);
});

test('at 420 px wide the call stage fits: no sideways scrolling, the control bar wraps, the SAS stays readable', async ({ page }) => {
  await page.setViewportSize({ width: 420, height: 800 });
  await page.goto(core.url);
  await page.getByLabel('Address', { exact: true }).fill('bob@127.0.0.1');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(page.getByTestId('sas-say')).toHaveText('K7');
  await page.getByRole('button', { name: 'Matches' }).click();
  await page.getByRole('button', { name: 'Add video' }).click();
  await expect(page.locator('.tile.remote')).toHaveAttribute('data-flowing', 'true', { timeout: 10_000 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
  await expect(page.getByRole('button', { name: 'Hang up call with Bob' })).toBeInViewport();
  await page.screenshot({ path: 'e2e/artifacts/ui-call-stage-420.png', fullPage: true });
});
