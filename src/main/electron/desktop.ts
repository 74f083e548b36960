// The Electron app's place on the desktop (issue 22): native notifications for ringing and missed
// calls (what and when: shared/call-notices.ts), and a tray icon with Do not disturb and Quit
// where the desktop has a tray. The window title needs nothing here: BrowserWindow follows the
// renderer's document.title ('page-title-updated' changes it unless prevented), which the
// renderer sets from shared/window-title.ts. Cannot run here (no Electron binary): kept thin,
// every decision lives in tested modules.
import { Menu, Notification, Tray, nativeImage, type BrowserWindow } from 'electron';
import trayIconPath from '../../../assets/icons/32x32.png?asset';
import type { ApiEvent, CallId, CallInfo, ContactWithSecurity } from '../../shared/api';
import { callNotices, noticeContext } from '../../shared/call-notices';
import type { AppCore } from '../core/app-core';

/** Brings the window to the front: a notification's click, the tray, a second launch. */
export function raiseWindow(win: BrowserWindow): void {
  if (win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

/** Native call notifications from the main process, fed with AppCore's events. */
export function nativeCallNotices(win: BrowserWindow, contactsAtStart: readonly ContactWithSecurity[]): (event: ApiEvent) => void {
  const known = new Map<CallId, CallInfo>();
  let contacts = contactsAtStart;
  // Held here so a shown notification is not garbage-collected (its click would be lost).
  const shown = new Map<string, Notification>();
  return (event) => {
    if (event.type === 'contacts') contacts = event.contacts;
    if (event.type !== 'callState') return;
    const call = event.call;
    const previous = known.get(call.callId);
    if (call.state === 'ended') known.delete(call.callId);
    else known.set(call.callId, call);
    if (!Notification.isSupported()) return;
    const focused = !win.isDestroyed() && win.isFocused();
    for (const action of callNotices(previous, call, noticeContext(call, contacts, focused))) {
      shown.get(action.tag)?.close();
      shown.delete(action.tag);
      if (action.kind === 'close') continue;
      const n = new Notification({ title: action.title, body: action.body, urgency: action.urgent ? 'critical' : 'normal', timeoutType: action.urgent ? 'never' : 'default' });
      n.on('click', () => raiseWindow(win));
      n.on('close', () => shown.delete(action.tag));
      shown.set(action.tag, n);
      n.show();
    }
  };
}

/**
 * The tray icon: Show Vouch, Do not disturb (the core's setting: calls hear 486 Busy Here and are
 * kept as missed), Quit. Undefined where the desktop has no tray (Electron throws or shows nothing).
 */
export function installTray(win: BrowserWindow, core: AppCore, quit: () => void): Tray | undefined {
  let tray: Tray;
  try {
    tray = new Tray(nativeImage.createFromPath(trayIconPath));
  } catch (e) {
    console.error(`vouch: no tray icon: ${(e as Error).message}`);
    return undefined;
  }
  const build = (doNotDisturb: boolean) =>
    Menu.buildFromTemplate([
      { label: 'Show Vouch', click: () => raiseWindow(win) },
      {
        label: 'Do not disturb',
        type: 'checkbox',
        checked: doNotDisturb,
        click: (item) => void core.invoke('updateSettings', { patch: { doNotDisturb: item.checked } }).catch((e: Error) => console.error(`vouch: Do not disturb: ${e.message}`)),
      },
      { type: 'separator' },
      { label: 'Quit', click: quit },
    ]);
  tray.setToolTip(win.getTitle());
  tray.setContextMenu(build(core.snapshot().settings.doNotDisturb));
  tray.on('click', () => raiseWindow(win));
  win.on('page-title-updated', (_e, title) => tray.setToolTip(title));
  core.onEvent((event) => {
    if (event.type === 'settings') tray.setContextMenu(build(event.settings.doNotDisturb));
  });
  return tray;
}
