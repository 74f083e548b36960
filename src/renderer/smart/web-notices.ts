// The browser shell's notifications: call notices (shared/call-notices.ts) shown with the page's
// own Notification API. Clicking one focuses the window, where the ringing screen or History is.
// Without the API or permission nothing is shown; permission is asked the first time one is due.
// (The Electron app shows the same notices natively from its main process.)
import type { NoticeAction } from '../../shared/call-notices';

export function webNoticeShower(): (action: NoticeAction) => void {
  const open = new Map<string, Notification>();
  const closed = new Set<string>();
  const show = (a: Extract<NoticeAction, { kind: 'show' }>) => {
    const n = new Notification(a.title, { body: a.body, tag: a.tag, requireInteraction: a.urgent });
    n.onclick = () => {
      window.focus();
      n.close();
    };
    n.onclose = () => open.delete(a.tag);
    open.set(a.tag, n);
  };
  return (action) => {
    if (typeof Notification !== 'function') return;
    if (action.kind === 'close') {
      closed.add(action.tag);
      open.get(action.tag)?.close();
      open.delete(action.tag);
      return;
    }
    closed.delete(action.tag);
    if (Notification.permission === 'granted') show(action);
    else if (Notification.permission === 'default') {
      void Notification.requestPermission().then((p) => {
        // The call may have been answered while the permission prompt was up.
        if (p === 'granted' && !closed.has(action.tag)) show(action);
      });
    }
  };
}
