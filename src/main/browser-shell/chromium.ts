// Finds a Chromium to open the browser shell in (and for Playwright when it has no browser of its
// own): $VOUCH_CHROMIUM, then the usual system paths.
import { accessSync, constants } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

export function findChromium(): string | undefined {
  const list = process.env.VOUCH_CHROMIUM ? [process.env.VOUCH_CHROMIUM, ...CANDIDATES] : CANDIDATES;
  for (const p of list) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // try the next one
    }
  }
  return undefined;
}
