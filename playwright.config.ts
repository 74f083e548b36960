// Playwright drives Chromium against the browser shell. Which Chromium: e2e/chromium.ts (the
// override, Debian's, Playwright's own, else the @sparticuz/chromium devDependency).
import { defineConfig } from '@playwright/test';
import { resolveChromiumWithSource } from './e2e/chromium';

const browser = resolveChromiumWithSource();
// The config is loaded again in each worker; say it once.
if (process.env.TEST_WORKER_INDEX === undefined) console.error(`e2e: Chromium from ${browser.source}: ${browser.path}`);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // Screenshot baselines (e2e/screens.ts): one set, made with Debian's chromium; no platform suffix.
  snapshotPathTemplate: '{testDir}/__screenshots__/{testFileName}/{arg}{ext}',
  timeout: 60_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  use: {
    headless: true,
    launchOptions: {
      executablePath: browser.path,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
