// Entry of the browser shell: AppCore + the renderer served on 127.0.0.1, opened in Chromium's
// app mode when a display and Chromium exist, otherwise the URL is printed.
//
// Chromium gets no secret on its command line (every local user can read `ps`): it opens a
// launcher page in the data dir, readable by this user only, that trades a one-time code for a
// session cookie (browser-shell/launch.ts). The token is printed on stdout only, for the user's
// own scripts.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { answerEarly } from './entry-args';
import { installLastResort } from './last-resort';
import { argValue, hasFlag, resolveDataDir } from './options';
import type { HandoverHandler } from './single-instance';
import type { CdpPipe as CdpPipeType } from './browser-shell/app-window';
import type { Readable, Writable } from 'node:stream';

const USAGE = `usage: node out/main/browser.js [options]
Vouch's browser shell: the app served on 127.0.0.1 and opened in Chromium's app mode.
options:
  --data-dir DIR     data directory (ZID, ZRTP cache, settings); also VOUCH_DATA_DIR
  --host ADDR        pin the address SIP and media bind to and advertise (default: the
                     setting, else every interface, each peer told the address that reaches it)
  --sip-port N       SIP port, UDP and TCP (default: the setting, 5060; the next free one
                     when taken; 0 = any free port)
  --port N           HTTP port of the shell on 127.0.0.1 (default: any free port)
  --no-open          do not open Chromium; print the URL
  sip:URI            call it; when Vouch already runs on this data dir, hand it the call
                     (one instance per data dir) and exit 0
  --help, --version
`;

const argv = process.argv.slice(2);
answerEarly(argv, USAGE);
installLastResort();

const { AppCore } = await import('./core/app-core');
const { startBrowserShell } = await import('./browser-shell/server');
const { findChromium } = await import('./browser-shell/chromium');

const { claimInstance } = await import('./single-instance');
const { CdpPipe, raiseAppWindow } = await import('./browser-shell/app-window');

const dataDir = resolveDataDir(argv);
// One instance per data dir (single-instance.ts): a second launch hands its sip: URI (a URL
// handler's click) to the running one, which places the call (its window shows it).
const uriToCall = argv.find((a) => /^sips?:/i.test(a));
let onHandover: HandoverHandler = async () => ({ ok: false, error: 'still starting' });
const claim = await claimInstance(dataDir, uriToCall, (h) => onHandover(h));
if (claim.kind === 'handed-over') {
  process.stdout.write(JSON.stringify({ event: 'handed-over', uri: uriToCall ?? null, socket: claim.socketPath, ...claim.answer }) + '\n');
  process.exit(claim.answer.ok ? 0 : 1);
}
const releaseInstance = claim.close;
if (claim.kind === 'unguarded') console.error(`vouch: no single-instance guard: ${claim.reason}`);
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error(`vouch: the renderer is not built (${rendererDir}); run npm run build`);
  process.exit(1);
}
// SIP listens like a phone unless --host / --sip-port pin it; the shell's own server stays on 127.0.0.1.
const core = new AppCore({ dataDir, host: argValue(argv, 'host'), sipPort: argValue(argv, 'sip-port') !== undefined ? Number(argValue(argv, 'sip-port')) : undefined });
for (const w of core.startupWarnings) console.error(`vouch: warning: ${w}`);
// Listen for calls from the start; a SIP port that cannot be opened is reported, not fatal.
await core.start().catch((e: Error) => console.error(`vouch: SIP not started: ${e.message}`));
const port = Number(argValue(argv, 'port') ?? 0);
let everConnected = false;
const shell = await startBrowserShell(core, {
  rendererDir,
  port,
  onClient: (connected) => {
    if (connected > 0 && !everConnected) {
      everConnected = true;
      process.stdout.write(JSON.stringify({ event: 'window-connected' }) + '\n');
    }
  },
});
const chromium = findChromium();
const hasDisplay = !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
// The launcher page exists before the `listening` line, so whoever reads that line finds it.
const launcher = !hasFlag(argv, 'no-open') && chromium && hasDisplay ? pathToFileURL(shell.createLauncher(dataDir)).href : undefined;
const { listening } = core.snapshot();
process.stdout.write(JSON.stringify({ event: 'listening', url: shell.url, dataDir, sipPort: listening?.udp ?? undefined, addresses: listening?.addresses ?? [] }) + '\n');
for (const note of listening?.notes ?? []) console.error(`vouch: ${note}`);

let appWindow: ReturnType<typeof spawn> | undefined;
let appWindowControl: CdpPipeType | undefined;
/** Brings the app window forward (app-window.ts); says what happened, for the second launch's answer. */
async function raise(): Promise<string> {
  if (!appWindow || !appWindowControl) return 'no app window of its own to raise (opened with --no-open or without a display)';
  const raised = await raiseAppWindow(appWindowControl, `${new URL(shell.url).origin}/`).catch((e: Error) => {
    console.error(`vouch: could not raise the app window: ${e.message}`);
    return undefined;
  });
  return raised ? 'raised its window' : 'its window could not be raised';
}
onHandover = async ({ uri }) => {
  const window = await raise();
  if (!uri) return { ok: true, detail: `already running; ${window}` };
  const { callId } = await core.invoke('call', { uri });
  return { ok: true, detail: `calling ${uri} (call ${callId}); ${window}` };
};
if (uriToCall) void core.invoke('call', { uri: uriToCall }).catch((e: Error) => console.error(`vouch: could not call ${uriToCall}: ${e.message}`));
if (launcher && chromium) {
  // --remote-debugging-pipe: fds 3 and 4, held by this process only, to raise the window on a handover.
  const args = [`--app=${launcher}`, `--user-data-dir=${join(dataDir, 'chromium-profile')}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--remote-debugging-pipe'];
  // Chromium refuses to start as root without this; its sandbox cannot drop root's rights anyway.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  appWindow = child;
  appWindowControl = new CdpPipe(child.stdio[3] as Writable, child.stdio[4] as Readable);
  child.on('error', (e) => console.error(`vouch: could not start ${chromium}: ${e.message}`));
  child.on('exit', () => {
    appWindow = undefined;
    void shutdown();
  });
  console.error(`vouch: opened the browser shell in ${chromium} (app mode)`);
} else {
  const why = !chromium ? 'no Chromium found' : !hasDisplay ? 'no display' : '--no-open';
  console.error(`vouch: open ${shell.url} in Chromium (${why})`);
}

async function shutdown(): Promise<void> {
  // The app window goes with the shell it talks to, and is waited for (3 s at most): a Chromium
  // still writing its profile would outlive us inside the data dir.
  const window = appWindow;
  if (window) {
    const gone = new Promise<void>((resolve) => {
      window.once('exit', () => resolve());
      setTimeout(resolve, 3000).unref();
    });
    window.kill('SIGTERM');
    await gone;
  }
  await shell.close();
  await core.close();
  await releaseInstance?.();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
