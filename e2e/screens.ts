// One check per screen (issue 21): axe-core finds no WCAG 2 A/AA violation, and the screen matches
// its committed baseline at 1280×800 and at 420×800. Baselines belong to CI's browser, Debian's
// chromium (e2e/chromium.ts): under any other Chromium the fonts and rasterisation differ, so the
// pixel comparisons are skipped with a message naming that browser, while the flows and axe run.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { resolveChromiumWithSource, SYSTEM_CHROMIUM } from './chromium';

export const SCREEN_SIZES = [
  { width: 1280, height: 800 },
  { width: 420, height: 800 },
] as const;

/** The axe rule sets: WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Parts that differ from run to run whatever the script: live media, levels, clocks, live charts, the worker's round trip. */
const CHANGING = 'video, canvas, meter, time[aria-label="Call duration"], .sparkline, [data-testid="worker-round-trip"]';

const browser = resolveChromiumWithSource();
/** Pixels are compared only under the browser the baselines were made with. */
export const BASELINE_BROWSER = browser.source === 'system' || (SYSTEM_CHROMIUM as readonly string[]).includes(browser.path);
let toldSkip = false;

export interface ScreenOptions {
  /** Screenshot this part instead of the whole page (a settings section). */
  target?: Locator;
  /** More changing parts to mask, beyond video, meters, timers and charts. */
  mask?: Locator[];
  /** Run axe (default); off for a part of a page already checked (the settings sections after the first). */
  axe?: boolean;
  /** Also write the 1280×800 screenshot, unmasked, to this path (README images; VOUCH_DOCS_SCREENSHOTS=1). */
  docs?: string;
}

/** Lets layout, fonts and the pointer settle: no hover left from the last click, fonts loaded, two frames drawn. */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
}

export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  // Only violations are reported in full: the passes' details cost time and are not read. Legacy
  // mode runs axe in the page itself; the default opens a blank page per run to merge frame
  // results, which the app (no iframes) does not need and which tripled the time.
  const result = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).withTags(WCAG_TAGS).setLegacyMode(true).analyze();
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe violations on ${where}`).toEqual([]);
}

/**
 * The screen as it is now, at each size: axe, then the baseline `<name>-<w>x<h>.png`
 * (e2e/__screenshots__/, playwright.config.ts). Leaves the page at 1280×800.
 */
export async function expectScreen(page: Page, name: string, options: ScreenOptions = {}): Promise<void> {
  if (!BASELINE_BROWSER) {
    const message = `pixel comparisons skipped: the baselines belong to Debian's chromium (${SYSTEM_CHROMIUM.join(' or ')}), this run uses ${browser.source} at ${browser.path}`;
    if (!test.info().annotations.some((a) => a.type === 'screenshots skipped')) test.info().annotations.push({ type: 'screenshots skipped', description: message });
    if (!toldSkip) console.log(`e2e: ${message}`);
    toldSkip = true;
  }
  // Visible ones only: a closed <details> keeps boxes for its content, which would be painted over.
  const mask = [page.locator(CHANGING).filter({ visible: true }), ...(options.mask ?? [])];
  for (const size of SCREEN_SIZES) {
    await page.setViewportSize(size);
    await settle(page);
    const label = `${name} at ${size.width}×${size.height}`;
    await test.step(label, async () => {
      // axe once per screen, at the wide size: its rules read the DOM and styles, not the layout,
      // and a run costs about a second on a busy machine.
      if ((options.axe ?? true) && size === SCREEN_SIZES[0]) await expectNoAxeViolations(page, label);
      if (options.docs && size === SCREEN_SIZES[0] && process.env.VOUCH_DOCS_SCREENSHOTS === '1') {
        mkdirSync(dirname(options.docs), { recursive: true });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: options.docs, animations: 'disabled', caret: 'hide' });
      }
      if (!BASELINE_BROWSER) return;
      const file = `${name}-${size.width}x${size.height}.png`;
      // A full-page capture during a video call can take seconds on a loaded machine (2 cores).
      const compare = { animations: 'disabled', caret: 'hide', mask, maxDiffPixelRatio: 0.02, timeout: 20_000 } as const;
      if (options.target) await expect(options.target).toHaveScreenshot(file, compare);
      else await expect(page).toHaveScreenshot(file, { ...compare, fullPage: true });
    });
  }
  await page.setViewportSize(SCREEN_SIZES[0]);
}
