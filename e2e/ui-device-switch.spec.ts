// Devices switched during a call (issue 21), between two real app instances over loopback with
// Chromium's fake devices (three cameras: the second, fake_device_1, sends Y16 depth frames that the
// VP8 encoder refuses, so the call must stay on the first; the third, MJPEG, works): Alice changes her microphone, speaker and camera from the
// control bar's Devices panel while talking to Bob. The call stays up, Bob's receive counters for
// her audio keep climbing after the switch (the encoder kept running on the new capture), and the
// device each track really uses is the one she chose, or, for a camera whose picture cannot be
// sent, still the one she had.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { twoShellsPerFile, type RunningShell } from './shell';
import { canvasPixels, fakeMediaWithCameras } from './ui-media';
import { completeSetup } from './ui-helpers';

test.use({ launchOptions: fakeMediaWithCameras(3) });

const shells = twoShellsPerFile();

interface Received {
  audioPackets: number;
  videoPackets: number;
}

/** Opens the app and follows the stats events AppCore sends the page: packets received per stream. */
async function openApp(browser: Browser, app: RunningShell, name: string): Promise<{ page: Page; received: Received }> {
  const page = await (await browser.newContext()).newPage();
  const received: Received = { audioPackets: 0, videoPackets: 0 };
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string' || !payload.includes('"stats"')) return;
      const m = JSON.parse(payload) as { kind?: string; event?: { type?: string; stats?: { streams: { stream: string; packetsReceived: number }[] } } };
      if (m.kind !== 'event' || m.event?.type !== 'stats' || !m.event.stats) return;
      for (const s of m.event.stats.streams) {
        if (s.stream === 'audio') received.audioPackets = s.packetsReceived;
        if (s.stream === 'video') received.videoPackets = s.packetsReceived;
      }
    }),
  );
  await page.goto(app.url);
  await completeSetup(page, name);
  return { page, received };
}

async function optionValue(page: Page, select: string, label: string): Promise<string> {
  return (await page.getByRole('combobox', { name: select, exact: true }).locator('option', { hasText: label }).getAttribute('value')) ?? '';
}

test('mid-call: another microphone, speaker and camera without dropping the call; audio and video keep flowing from the chosen devices', async ({ browser }) => {
  test.setTimeout(90_000);
  const a = await openApp(browser, shells.alice(), 'Alice');
  const b = await openApp(browser, shells.bob(), 'Bob');

  await a.page.getByLabel('Address', { exact: true }).fill(`sip:bob@127.0.0.1:${shells.bob().sipPort}`);
  await a.page.getByRole('button', { name: 'Call', exact: true }).click();
  await b.page.getByRole('button', { name: /^Answer call from / }).click({ timeout: 10_000 });
  await expect(a.page.getByTestId('sas')).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => b.received.audioPackets, { timeout: 10_000 }).toBeGreaterThan(50);

  await a.page.getByRole('button', { name: 'Devices' }).click();
  const panel = a.page.getByRole('region', { name: 'Devices' });
  await expect(panel).toBeVisible();
  const micInUse = a.page.getByTestId('in-use-microphoneId');
  await expect(micInUse).toHaveText(/^In use: /);
  const micBefore = await micInUse.getAttribute('data-device-id');

  // The microphone: Fake Audio Input 2, and Bob keeps receiving Alice's audio afterwards.
  const mic2 = await optionValue(a.page, 'Microphone', 'Fake Audio Input 2');
  expect(mic2).not.toBe(micBefore);
  await panel.getByRole('combobox', { name: 'Microphone', exact: true }).selectOption(mic2);
  await expect(micInUse).toHaveAttribute('data-device-id', mic2, { timeout: 10_000 });
  await expect(micInUse).toHaveText('In use: Fake Audio Input 2');
  const atSwitch = b.received.audioPackets;
  // 50 packets a second at 20 ms: two more seconds of audio arrived from the new capture.
  await expect.poll(() => b.received.audioPackets, { timeout: 10_000 }).toBeGreaterThan(atSwitch + 100);
  await expect(a.page.getByTestId('call-state')).toHaveText(/^Secure/);

  // The speaker moves with setSinkId.
  const out1 = await optionValue(a.page, 'Speaker', 'Fake Audio Output 1');
  await panel.getByRole('combobox', { name: 'Speaker', exact: true }).selectOption(out1);
  await expect(a.page.getByTestId('in-use-speakerId')).toHaveAttribute('data-device-id', out1, { timeout: 10_000 });

  // The camera: video on, then the second fake camera; Bob's picture keeps changing.
  await a.page.getByRole('button', { name: 'Add video' }).click();
  await expect(b.page.getByTestId('remote-video')).toBeVisible({ timeout: 15_000 });
  const camInUse = a.page.getByTestId('in-use-cameraId');
  await expect(camInUse).toHaveText('In use: fake_device_0', { timeout: 10_000 });
  await expect.poll(() => b.received.videoPackets, { timeout: 15_000 }).toBeGreaterThan(20);
  // fake_device_1 sends Y16 depth frames the VP8 encoder refuses: the call says so and stays on fake_device_0.
  const cam0 = await optionValue(a.page, 'Camera', 'fake_device_0');
  const depth = await optionValue(a.page, 'Camera', 'fake_device_1');
  await panel.getByRole('combobox', { name: 'Camera', exact: true }).selectOption(depth);
  await expect(a.page.getByTestId('error-banner')).toContainText("Could not switch to that camera: the call cannot send that camera's picture", { timeout: 15_000 });
  await expect(camInUse).toHaveAttribute('data-device-id', cam0);
  const afterRefusal = b.received.videoPackets;
  await expect.poll(() => b.received.videoPackets, { timeout: 15_000 }).toBeGreaterThan(afterRefusal + 15);

  const cam1 = await optionValue(a.page, 'Camera', 'fake_device_2');
  await panel.getByRole('combobox', { name: 'Camera', exact: true }).selectOption(cam1);
  await expect(camInUse).toHaveAttribute('data-device-id', cam1, { timeout: 10_000 });
  const videoAtSwitch = b.received.videoPackets;
  // A few frames a second on a loaded two-core machine; the counter stalls for good if the switch broke the encoder.
  await expect.poll(() => b.received.videoPackets, { timeout: 15_000 }).toBeGreaterThan(videoAtSwitch + 15);
  const shown = await canvasPixels(b.page);
  await expect.poll(async () => (await canvasPixels(b.page)).fingerprint, { timeout: 10_000 }).not.toBe(shown.fingerprint);
  // The self view shows the new camera's stream.
  expect(await a.page.getByTestId('local-preview').evaluate((v) => ((v as HTMLVideoElement).srcObject as MediaStream | null)?.getVideoTracks()[0]?.getSettings().deviceId)).toBe(cam1);
  await a.page.screenshot({ path: 'e2e/artifacts/ui-device-switch.png', fullPage: true });

  // The call was never dropped: still the same call, still audio arriving at Bob.
  const audioNow = b.received.audioPackets;
  await expect.poll(() => b.received.audioPackets, { timeout: 10_000 }).toBeGreaterThan(audioNow + 50);
  await a.page.getByRole('button', { name: /^Hang up call with / }).click();
  await expect(b.page.getByText(/^Call with .+ ended\./)).toBeVisible({ timeout: 10_000 });
});
