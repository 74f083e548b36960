// What closing the window means (issue 22). Like Linphone's and Signal's "close to tray": while a
// tray icon is shown, closing the window hides it and the phone keeps listening, so calls still
// ring (a notification or the tray raises it again); Quit in the tray, the app menu or the OS
// quits. Without a tray there would be no way back to a hidden window, so closing quits. Pure:
// src/main/index.ts only applies the answer (Electron cannot run here).

export interface WindowCloseContext {
  /** A tray icon was created and is still there. */
  trayShown: boolean;
  /** Quit was chosen (tray, app menu, OS logout): the window must really close. */
  quitting: boolean;
  /** The "still running in the tray" notice was shown before in this process. */
  noticeShown: boolean;
}

export type WindowCloseAction =
  | { kind: 'close' }
  /** Keep the window (preventDefault) and hide it; `notice` says to tell the user once where it went. */
  | { kind: 'hide'; notice: boolean };

export function windowCloseAction(c: WindowCloseContext): WindowCloseAction {
  if (c.quitting || !c.trayShown) return { kind: 'close' };
  return { kind: 'hide', notice: !c.noticeShown };
}

/** The one-time notice's words. */
export const HIDDEN_TO_TRAY_NOTICE = {
  title: 'Vouch is still running',
  body: 'Calls will still ring. To quit, use Quit in the Vouch icon’s menu.',
} as const;
