// Entry of the browser shell: AppCore + the renderer served on 127.0.0.1, opened in Chromium's
// app mode when a display and Chromium exist, otherwise the URL is printed.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppCore } from './core/app-core';
import { startBrowserShell } from './browser-shell/server';
import { argValue, hasFlag, resolveDataDir } from './options';
import { findChromium } from './browser-shell/chromium';

const argv = process.argv.slice(2);
const dataDir = resolveDataDir(argv);
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error(`vouch: the renderer is not built (${rendererDir}); run npm run build`);
  process.exit(1);
}
const core = new AppCore({ dataDir, host: argValue(argv, 'host') ?? '127.0.0.1', sipPort: argValue(argv, 'sip-port') ? Number(argValue(argv, 'sip-port')) : undefined });
for (const w of core.startupWarnings) console.error(`vouch: warning: ${w}`);
// Listen for calls from the start; a SIP port that cannot be opened is reported, not fatal.
await core.start().catch((e: Error) => console.error(`vouch: SIP not started: ${e.message}`));
const port = Number(argValue(argv, 'port') ?? 0);
const shell = await startBrowserShell(core, { rendererDir, port });
process.stdout.write(JSON.stringify({ event: 'listening', url: shell.url, dataDir, sipPort: core.calls.sipPort }) + '\n');

const chromium = findChromium();
const hasDisplay = !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (!hasFlag(argv, 'no-open') && chromium && hasDisplay) {
  const child = spawn(chromium, [`--app=${shell.url}`, `--user-data-dir=${join(dataDir, 'chromium-profile')}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], { stdio: 'ignore' });
  child.on('exit', () => void shutdown());
  console.error(`vouch: opened the browser shell in ${chromium} (app mode)`);
} else {
  const why = !chromium ? 'no Chromium found' : !hasDisplay ? 'no display' : '--no-open';
  console.error(`vouch: open ${shell.url} in Chromium (${why})`);
}

async function shutdown(): Promise<void> {
  await shell.close();
  await core.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
