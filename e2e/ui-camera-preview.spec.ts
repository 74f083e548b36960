// Settings' camera preview before calling (issue 21), with Chromium's fake cameras (three: the
// first and third send pictures; the second sends Y16 depth frames, so it is not used here): the
// chosen camera plays in the preview (frames arrive and time advances), a new choice in the Camera
// select moves the preview to that camera and closes the old one, toggling off, leaving the page and
// a call coming in each close the camera, and a camera that cannot be opened is said in words.
import { test, expect, type Page } from '@playwright/test';
import { twoShellsPerFile } from './shell';
import { fakeMediaWithCameras } from './ui-media';
import { completeSetup, unlabelledControls } from './ui-helpers';

test.use({ launchOptions: fakeMediaWithCameras(3) });

const shells = twoShellsPerFile();

type Watched = Window & { previewTracks?: MediaStreamTrack[] };

/** The preview's track now: its camera, and its place in the page's list of every preview track seen. */
async function previewTrack(page: Page): Promise<{ deviceId: string; index: number }> {
  return page.getByTestId('camera-preview').evaluate((v) => {
    const track = ((v as HTMLVideoElement).srcObject as MediaStream | null)?.getVideoTracks()[0];
    if (!track) return { deviceId: '', index: -1 };
    const w = window as Watched;
    w.previewTracks ??= [];
    if (!w.previewTracks.includes(track)) w.previewTracks.push(track);
    return { deviceId: track.getSettings().deviceId ?? '', index: w.previewTracks.indexOf(track) };
  });
}

async function trackState(page: Page, index: number): Promise<string> {
  return page.evaluate((i) => (window as Watched).previewTracks?.[i]?.readyState ?? 'missing', index);
}

/** Frames are drawn: a size is known and the playback time moves on. */
async function expectFramesArrive(page: Page): Promise<void> {
  const video = page.getByTestId('camera-preview');
  await expect.poll(() => video.evaluate((v) => (v as HTMLVideoElement).videoWidth), { timeout: 10_000 }).toBeGreaterThan(0);
  const t0 = await video.evaluate((v) => (v as HTMLVideoElement).currentTime);
  await expect.poll(() => video.evaluate((v) => (v as HTMLVideoElement).currentTime), { timeout: 10_000 }).toBeGreaterThan(t0 + 0.3);
}

async function optionValue(page: Page, label: string): Promise<string> {
  return (await page.getByLabel('Camera', { exact: true }).locator('option', { hasText: label }).getAttribute('value')) ?? '';
}

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('form', { name: 'Settings', exact: true })).toBeVisible();
}

test('the preview shows the chosen camera, follows the Camera select, and closes the camera when toggled off or left', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(shells.alice().url);
  await completeSetup(page, 'Alice');
  await openSettings(page);
  const camera = page.getByLabel('Camera', { exact: true });
  const cam0 = await optionValue(page, 'fake_device_0');
  const cam2 = await optionValue(page, 'fake_device_2');
  await camera.selectOption(cam0);

  const toggle = page.getByRole('button', { name: 'Preview camera' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(page.getByRole('button', { name: 'Stop camera preview' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.camera-preview figcaption')).toHaveText('fake_device_0, 640 × 480', { timeout: 10_000 });
  await expectFramesArrive(page);
  const first = await previewTrack(page);
  expect(first.deviceId).toBe(cam0);
  expect(await unlabelledControls(page)).toEqual([]);

  // Another camera chosen while the preview is open: the preview moves to it, the old one is closed.
  await camera.selectOption(cam2);
  await expect.poll(async () => (await previewTrack(page)).deviceId, { timeout: 10_000 }).toBe(cam2);
  await expect(page.locator('.camera-preview figcaption')).toHaveText(/^fake_device_2, \d+ × \d+$/);
  await expectFramesArrive(page);
  const second = await previewTrack(page);
  expect(second.index).not.toBe(first.index);
  expect(await trackState(page, first.index)).toBe('ended');
  expect(await trackState(page, second.index)).toBe('live');
  await page.screenshot({ path: 'e2e/artifacts/ui-camera-preview.png', fullPage: true });

  // Toggled off: the picture goes and the camera is closed.
  await page.getByRole('button', { name: 'Stop camera preview' }).click();
  await expect(page.getByTestId('camera-preview')).toHaveCount(0);
  expect(await trackState(page, second.index)).toBe('ended');

  // Left open and the page left: the camera is closed too.
  await page.getByRole('button', { name: 'Preview camera' }).click();
  await expectFramesArrive(page);
  const third = await previewTrack(page);
  expect(await trackState(page, third.index)).toBe('live');
  await page.getByRole('button', { name: 'Close settings' }).click();
  await expect(page.getByRole('form', { name: 'Settings', exact: true })).toBeHidden();
  await expect.poll(() => trackState(page, third.index)).toBe('ended');
  // One window per app instance: this one goes so the next test's window is let in.
  await page.context().close();
});

test('a camera that cannot be opened is said in words; a call coming in closes the preview', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(shells.alice().url);
  await expect(page.getByLabel('Address', { exact: true })).toBeVisible();
  await openSettings(page);
  // A camera chosen earlier and unplugged since: getUserMedia's exact deviceId finds nothing.
  const camera = page.getByLabel('Camera', { exact: true });
  await camera.evaluate((s) => s.append(new Option('Unplugged camera', 'camera-unplugged-since')));
  await camera.selectOption('camera-unplugged-since');
  await page.getByRole('button', { name: 'Preview camera' }).click();
  await expect(page.getByRole('alert')).toHaveText('Could not open the camera: that device is no longer connected.', { timeout: 10_000 });
  await expect(page.getByTestId('camera-preview')).toHaveCount(0);

  // A working camera chosen: the preview recovers without another click.
  await camera.selectOption(await optionValue(page, 'fake_device_0'));
  await expectFramesArrive(page);
  const open = await previewTrack(page);

  const b = await (await browser.newContext()).newPage();
  await b.goto(shells.bob().url);
  await completeSetup(b, 'Bob');
  await b.getByLabel('Address', { exact: true }).fill(`sip:alice@127.0.0.1:${shells.alice().sipPort}`);
  await b.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(page.getByRole('button', { name: /^Answer call from / })).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => trackState(page, open.index), { timeout: 5_000 }).toBe('ended');
  // Settings stays open beside the ringing call: the preview is gone and the page says why.
  await expect(page.getByText('The camera preview is off during a call.', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Preview camera' })).toBeDisabled();
  await expect(page.getByTestId('camera-preview')).toHaveCount(0);
  await page.getByRole('button', { name: /^Reject call from / }).click();
  await Promise.all([page.context().close(), b.context().close()]);
});
