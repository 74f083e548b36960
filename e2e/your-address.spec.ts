// The dialer says how to reach you: the address SIP listens on (the shell is pinned to
// 127.0.0.1 here) and that there is no TLS listener without a certificate.
import { test, expect } from '@playwright/test';
import { shellPerFile } from './shell';
import { ensureSetUp } from './ui-helpers';

const shell = shellPerFile();

test('shows "Your address" with the listening port and the missing TLS listener', async ({ page }) => {
  await page.goto(shell().url);
  await ensureSetUp(page, 'Alice');
  const status = page.getByRole('status', { name: 'How to reach you' });
  await expect(status).toHaveText(`Your address: sip:vouch@127.0.0.1:${shell().sipPort}. No TLS listener (no certificate configured).`);
});
