// For specs whose pages use real media: Chromium with a fake camera and microphone, and readers
// of what the page shows (audio meters, the remote video canvas).
import type { Page } from '@playwright/test';
import { resolveChromium } from './chromium';

/** For test.use: fake devices, no permission prompt, autoplay without a gesture. */
export const fakeMediaLaunchOptions = {
  executablePath: resolveChromium(),
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
};

/** The same, with `count` fake cameras (Chromium's fake device flag with device-count). */
export function fakeMediaWithCameras(count: number): typeof fakeMediaLaunchOptions {
  return { ...fakeMediaLaunchOptions, args: fakeMediaLaunchOptions.args.map((a) => (a === '--use-fake-device-for-media-stream' ? `${a}=device-count=${count}` : a)) };
}

export async function meter(page: Page, name: string | RegExp): Promise<number> {
  return page.getByRole('meter', { name }).evaluate((m) => (m as HTMLMeterElement).value);
}

/** Sum of pixel values and a coarse fingerprint of the remote canvas. */
export async function canvasPixels(page: Page): Promise<{ sum: number; fingerprint: string }> {
  return page.getByTestId('remote-video').evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0;
    const parts: number[] = [];
    for (let i = 0; i < data.length; i += 4) {
      sum += data[i] + data[i + 1] + data[i + 2];
      if (i % 40_000 === 0) parts.push(data[i]);
    }
    return { sum, fingerprint: parts.join(',') };
  });
}
