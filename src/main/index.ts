// Electron entry: the window, its security settings and the IPC wiring to AppCore. Thin: every
// command goes to AppCore unchanged.

import { app, BrowserWindow, ipcMain, Notification, safeStorage, session, shell, type IpcMainInvokeEvent } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppCore } from './core/app-core';
import { argValue, resolveDataDir } from './options';
import { claimInstance, type HandoverHandler } from './single-instance';
import { browserWindowOptions, IPC, isPermissionAllowed, isTrustedSender } from './electron/window-options';
import { OpenedLinks, SIP_SCHEMES, sipUriArgument } from './electron/sip-links';
import { contentSecurityPolicy } from './security/csp';
import { decodeClientMessage, decodeMediaFrame, encodeMediaFrame } from '../shared/wire';
import { answerEarly } from './entry-args';
import { installLastResort } from './last-resort';
import { electronPasswordStores } from './store/sip-password';
import { installTray, nativeCallNotices, raiseWindow } from './electron/desktop';
import { HIDDEN_TO_TRAY_NOTICE, windowCloseAction } from './electron/window-close';

const USAGE = `usage: vouch-app [options]   (npm start, or electron . [options])
Vouch, the desktop app (Electron).
options:
  --data-dir DIR     data directory (ZID, ZRTP cache, settings); also VOUCH_DATA_DIR
  --host ADDR        pin the address SIP and media bind to and advertise (default: every interface)
  --sip-port N       SIP port, UDP and TCP (default 5060, the next free one when taken)
  --help, --version
`;

// Before the data dir is chosen or anything starts: --help creates no identity.
answerEarly(process.argv.slice(1), USAGE);
// Electron's default shows a dialog and may leave the app half-dead; log and keep the calls running.
installLastResort();

const dataDir = resolveDataDir(process.argv, () => app.getPath('userData'));
app.setPath('userData', dataDir);

const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(fileURLToPath(new URL('../renderer/index.html', import.meta.url))).href;
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

// macOS sends sip: links as open-url events (before ready on a cold start), never on argv.
const openedLinks = new OpenedLinks();
app.on('open-url', (event, url) => {
  if (openedLinks.open(url)) event.preventDefault();
});

app.whenReady().then(async () => {
  // One instance per data dir (single-instance.ts): a second launch hands its sip: URI to this
  // one, which raises its window and places the call; the second exits 0.
  const uriToCall = sipUriArgument(process.argv);
  let onHandover: HandoverHandler = async () => ({ ok: false, error: 'still starting' });
  const claim = await claimInstance(dataDir, uriToCall, (h) => onHandover(h));
  if (claim.kind === 'handed-over') {
    process.stdout.write(JSON.stringify({ event: 'handed-over', uri: uriToCall ?? null, ...claim.answer }) + '\n');
    app.exit(claim.answer.ok ? 0 : 1);
    return;
  }
  // SIP listens like a phone (every interface, 5060) unless --host / --sip-port pin it (tests do).
  const sipPort = argValue(process.argv, 'sip-port');
  // The SIP password goes to the OS keychain when safeStorage has a real one (never basic_text).
  const passwordStores = (settingsPath: string) => electronPasswordStores(dataDir, settingsPath, safeStorage, process.platform);
  const core = new AppCore({ dataDir, host: argValue(process.argv, 'host'), sipPort: sipPort !== undefined ? Number(sipPort) : undefined, passwordStores });
  for (const w of core.startupWarnings) console.error(`vouch: warning: ${w}`);
  void core.start().catch(() => undefined);
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(isPermissionAllowed(permission, (details as { mediaTypes?: string[] }).mediaTypes ?? []));
  });
  ses.setPermissionCheckHandler((_wc, permission) => permission === 'media');
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });

  const win = new BrowserWindow(browserWindowOptions(preloadPath));
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());

  const trusted = (e: IpcMainInvokeEvent | Electron.IpcMainEvent) => !!e.senderFrame && isTrustedSender(e.senderFrame.url, rendererUrl);
  ipcMain.handle(IPC.request, async (e, text: unknown) => {
    if (!trusted(e) || typeof text !== 'string') return { kind: 'response', id: -1, ok: false, error: { code: 'bad-request', message: 'untrusted sender' } };
    const req = decodeClientMessage(text);
    if (!req.ok) return { kind: 'response', id: -1, ok: false, error: { code: 'bad-request', message: req.error } };
    return core.handle(req.value);
  });
  // A throwing handler costs that one message (logged), never the process or a call.
  let handlerErrors = 0;
  const local = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      handlerErrors++;
      console.error(`vouch: ${what} handler threw (#${handlerErrors}): ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  ipcMain.on(IPC.frameToMain, (e, data: unknown) => {
    if (!trusted(e) || !(data instanceof Uint8Array)) return;
    const frame = decodeMediaFrame(data);
    if (frame.ok) local('media frame', () => core.acceptMediaFrame(frame.value));
  });
  core.onEvent((event) => {
    if (!win.isDestroyed()) win.webContents.send(IPC.event, event);
  });
  // Ringing and missed calls as native notifications; the renderer shows none under Electron.
  const notices = nativeCallNotices(win, await core.invoke('listContacts', {}));
  core.onEvent((event) => local('notification', () => notices(event)));
  core.onMediaFrame((frame) => {
    if (!win.isDestroyed()) local('frame to window', () => win.webContents.send(IPC.frameToRenderer, encodeMediaFrame(frame)));
  });

  void win.loadURL(rendererUrl);
  onHandover = async ({ uri }) => {
    raiseWindow(win);
    if (!uri) return { ok: true, detail: 'already running' };
    const { callId } = await core.invoke('call', { uri });
    return { ok: true, detail: `calling ${uri} (call ${callId})` };
  };
  if (uriToCall) void core.invoke('call', { uri: uriToCall }).catch((e: Error) => console.error(`vouch: could not call ${uriToCall}: ${e.message}`));
  openedLinks.attach((uri) => void onHandover({ uri }).catch((e: Error) => console.error(`vouch: could not call ${uri}: ${e.message}`)));
  // The installed app answers sip:/sips: links (a dev run from `electron .` leaves them alone).
  if (app.isPackaged) for (const scheme of SIP_SCHEMES) app.setAsDefaultProtocolClient(scheme);
  let quitting: Promise<void> | undefined;
  const quit = () => void (quitting ??= core.close().then(() => claim.close()).then(() => app.quit()));
  const tray = installTray(win, core, quit);
  // Closing the window hides it to the tray while there is one (window-close.ts); Quit quits.
  let noticeShown = false;
  win.on('close', (e) => {
    const action = windowCloseAction({ trayShown: !!tray && !tray.isDestroyed(), quitting: quitting !== undefined, noticeShown });
    if (action.kind === 'close') return;
    e.preventDefault();
    win.hide();
    if (action.notice && Notification.isSupported()) new Notification(HIDDEN_TO_TRAY_NOTICE).show();
    noticeShown = true;
  });
  // The app menu's or the OS's Quit: close the core first, then let app.quit() run again.
  app.on('before-quit', (e) => {
    if (quitting) return;
    e.preventDefault();
    quit();
  });
  app.on('window-all-closed', quit);
});
