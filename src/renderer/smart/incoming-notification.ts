// A Web Notification for a ringing call while the window is not focused (the page's own
// Notification API; Electron's native notifications are another issue). Clicking it focuses the
// window, where the ringing screen is. Without permission or the API nothing is shown.
export function notifyIncoming(who: string, trust: string): (() => void) | undefined {
  if (typeof Notification !== 'function' || typeof document === 'undefined' || document.hasFocus()) return undefined;
  const N = Notification;
  const show = () => {
    const n = new N(`${who} is calling`, { body: trust, tag: 'vouch-incoming', requireInteraction: true });
    n.onclick = () => {
      window.focus();
      n.close();
    };
    return n;
  };
  let shown: Notification | undefined;
  let closed = false;
  if (N.permission === 'granted') shown = show();
  else if (N.permission === 'default') {
    void N.requestPermission().then((p) => {
      if (p === 'granted' && !closed) shown = show();
    });
  }
  return () => {
    closed = true;
    shown?.close();
  };
}
