// The window title says what the phone is doing (issue 22), so a window in the taskbar or the
// window switcher shows a ringing or running call: "Vouch — Incoming call from Bob". The renderer
// sets document.title from this; Electron's BrowserWindow follows document.title by default.
import type { CallInfo } from './api';

export const APP_TITLE = 'Vouch';

type TitledCall = Pick<CallInfo, 'direction' | 'state' | 'held'>;

/**
 * The call that most needs attention names the title: one ringing here, then the one being talked
 * in, then one being placed, then one on hold. No seconds in it: a ticking title would be news
 * to screen readers and window lists every second.
 */
export function windowTitle<C extends TitledCall>(calls: readonly C[], nameOf: (call: C) => string): string {
  const first = (pick: (c: C) => boolean) => calls.find(pick);
  const incoming = first((c) => c.direction === 'incoming' && c.state === 'incoming');
  if (incoming) return `${APP_TITLE} — Incoming call from ${nameOf(incoming)}`;
  const talking = first((c) => c.state === 'connected' && !c.held);
  if (talking) return `${APP_TITLE} — In call with ${nameOf(talking)}`;
  const placing = first((c) => c.direction === 'outgoing' && (c.state === 'calling' || c.state === 'ringing'));
  if (placing) return `${APP_TITLE} — Calling ${nameOf(placing)}…`;
  const held = first((c) => c.state === 'held' || (c.state === 'connected' && c.held));
  if (held) return `${APP_TITLE} — ${nameOf(held)} on hold`;
  return APP_TITLE;
}
