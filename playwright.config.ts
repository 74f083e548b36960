// Playwright drives Chromium against the browser shell. Playwright cannot download browsers here:
// use Playwright's own Chromium when one is installed, else the system Chromium
// (apt-get install chromium), else stop with the one-line fix.
import { defineConfig } from '@playwright/test';
import { resolveChromium } from './e2e/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  use: {
    headless: true,
    launchOptions: {
      executablePath: resolveChromium(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
