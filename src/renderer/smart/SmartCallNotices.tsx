// The call state outside the page (issue 22): the window title ("Vouch — Incoming call from Bob",
// shared/window-title.ts; Electron's window follows document.title) and, in the browser shell,
// notifications for ringing and missed calls (shared/call-notices.ts). Renders nothing.
import { useEffect } from 'react';
import type { CallInfo, ContactWithSecurity } from '../../shared/api';
import { callNotices, noticeContext } from '../../shared/call-notices';
import { windowTitle } from '../../shared/window-title';
import { useAppStore } from '../state/app-store';
import { useContacts, useVouchStore } from '../state/store';
import { webNoticeShower } from './web-notices';

const nameOf = (call: CallInfo, contacts: readonly ContactWithSecurity[]) => noticeContext(call, contacts, false).name;

export function SmartCallNotices() {
  const shell = useAppStore((s) => s.shell);
  const calls = useVouchStore((s) => s.calls.calls);
  const contacts = useContacts();

  useEffect(() => {
    document.title = windowTitle(Object.values(calls), (c) => nameOf(c, contacts));
  }, [calls, contacts]);

  useEffect(() => {
    // Electron shows these natively from its main process; showing them here too would double them.
    if (shell !== 'browser') return undefined;
    const show = webNoticeShower();
    return useVouchStore.subscribe((next, prev) => {
      if (next.calls === prev.calls) return;
      const changed = Object.values(next.calls.calls).filter((c) => prev.calls.calls[c.callId] !== c);
      if (next.calls.lastEnded && next.calls.lastEnded !== prev.calls.lastEnded) changed.push(next.calls.lastEnded);
      for (const call of changed) {
        for (const action of callNotices(prev.calls.calls[call.callId], call, noticeContext(call, next.contacts, document.hasFocus()))) show(action);
      }
    });
  }, [shell]);
  return null;
}
