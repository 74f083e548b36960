// Which Chromium Playwright launches: its own when installed, else the system one.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function resolveChromium(): string {
  if (process.env.VOUCH_CHROMIUM && existsSync(process.env.VOUCH_CHROMIUM)) return process.env.VOUCH_CHROMIUM;
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // Playwright has no browser of its own here.
  }
  for (const p of SYSTEM) if (existsSync(p)) return p;
  throw new Error('No Chromium for the e2e tests: run `sudo apt-get install chromium` (or set VOUCH_CHROMIUM)');
}
