// The app: connects to AppCore, loads the snapshot and history, reduces events into the store and
// hands them to the media manager, and picks the screen (first-run setup, settings, call).
import { useEffect, useState } from 'react';
import { connect } from './api/client';
import { setConnection } from './api/session';
import { AppFrame } from './components/AppFrame';
import { CallPanel } from './components/CallPanel';
import { startMediaManager } from './media/media-manager';
import { SmartAccountSetup } from './smart/SmartAccountSetup';
import { SmartDialer } from './smart/SmartDialer';
import { SmartErrorBanner } from './smart/SmartErrorBanner';
import { SmartAdmissionPrompt } from './smart/SmartAdmissionPrompt';
import { SmartProtectionWarning } from './smart/SmartProtectionWarning';
import { SmartInCall } from './smart/SmartInCall';
import { SmartMismatchScreen } from './smart/SmartMismatchScreen';
import { SmartIncomingCall } from './smart/SmartIncomingCall';
import { SmartCallNotices } from './smart/SmartCallNotices';
import { SmartOtherCalls } from './smart/SmartOtherCalls';
import { SmartSettings } from './smart/SmartSettings';
import { SmartContacts } from './smart/SmartContacts';
import { SmartHistory } from './smart/SmartHistory';
import { AppNav, type AppView } from './components/AppNav';
import { AboutPage } from './components/AboutPage';
import { missedSince } from './state/history-groups';
import { readHistorySeenAt, writeHistorySeenAt } from './state/history-seen';
import { useAppStore } from './state/app-store';
import { useActiveCall, useVouchStore } from './state/store';
import { describeFailure } from './state/words';

const connection = connect();
setConnection(connection);

export function App() {
  const { connection: state, shell, workerRoundTripMs, error, snapshot, set } = useAppStore();
  const snapshotLoaded = useVouchStore((s) => s.snapshotLoaded);
  const needsSetup = useVouchStore((s) => s.needsSetup);
  const history = useVouchStore((s) => s.history);
  const activeCall = useActiveCall();
  const [view, setViewState] = useState<AppView>('call');
  const [contactId, setContactId] = useState<string | null>(null);
  /** A contact just made from History in one click: its page offers Undo and Edit. */
  const [addedContactId, setAddedContactId] = useState<string | null>(null);
  const [historySeenAt, setHistorySeenAt] = useState(readHistorySeenAt);
  const setView = (next: AppView) => {
    if (next === 'history' || view === 'history') setHistorySeenAt(writeHistorySeenAt(Date.now()));
    if (next !== 'contacts') setAddedContactId(null);
    setViewState(next);
  };
  // A call placed or answered from any page shows the call.
  const shownView: AppView = activeCall && view !== 'settings' && view !== 'about' ? 'call' : view;

  useEffect(() => {
    set({ shell: connection.shell });
    const store = useVouchStore.getState();
    const media = startMediaManager(connection.api);
    const unsubscribe = connection.api.onEvent((event) => {
      useVouchStore.getState().dispatch(event);
      media.handleEvent(event);
    });
    connection.ready
      .then(async () => {
        set({ connection: 'connected' });
        const snapshot = await connection.api.invoke('getState', {});
        set({ snapshot });
        store.loadSnapshot(snapshot);
        media.useSettings(snapshot.settings);
        for (const call of snapshot.calls) media.handleEvent({ type: 'callState', call });
        connection.api
          .invoke('getHistory', {})
          .then((history) => useVouchStore.getState().loadHistory(history))
          .catch((e: unknown) => useVouchStore.getState().showError('app', describeFailure('load the call history', e)));
        connection.api
          .invoke('listContacts', {})
          .then((contacts) => useVouchStore.getState().dispatch({ type: 'contacts', contacts: Array.isArray(contacts) ? contacts : [] }))
          .catch((e: unknown) => useVouchStore.getState().showError('app', describeFailure('load the contacts', e)));
        const pong = await connection.api.invoke('ping', {});
        set({ workerRoundTripMs: pong.roundTripMs });
      })
      .catch((e: Error) => set({ connection: 'failed', error: e.message }));
    return unsubscribe;
  }, [set]);

  // Developer facts (shell kind, worker round trip) live on the About page, not in the frame.
  const statusLine = error
    ? `Error: ${error}`
    : state === 'connecting' && connection.shell === 'browser'
      ? // The shell holds a second window until the open one allows it (browser-shell/admission.ts).
        'Connecting… If another Vouch window is open, allow this one there.'
      : '';

  const nav = snapshotLoaded ? (
    <AppNav view={shownView} missed={view === 'history' ? 0 : missedSince(history, historySeenAt)} setupOnly={needsSetup} onNavigate={(v) => setView(v === view && needsSetup ? 'call' : v)} />
  ) : null;
  const ready = snapshotLoaded && !needsSetup;

  return (
    <AppFrame connection={state} shell="" statusLine={statusLine} actions={nav}>
      <SmartAdmissionPrompt control={connection.control} />
      <SmartProtectionWarning />
      <SmartErrorBanner />
      {snapshotLoaded && needsSetup ? <SmartAccountSetup /> : null}
      {ready && shownView === 'settings' ? <SmartSettings onClose={() => setView('call')} /> : null}
      {ready && shownView === 'contacts' ? (
        <SmartContacts selectedId={contactId} justAddedId={addedContactId} onSelect={setContactId} onCalling={() => setView('call')} />
      ) : null}
      {ready && shownView === 'history' ? (
        <SmartHistory
          onCalling={() => setView('call')}
          onShowContact={(id) => {
            setContactId(id);
            setView('contacts');
          }}
          onContactAdded={(id) => {
            setContactId(id);
            setView('contacts');
            setAddedContactId(id);
          }}
        />
      ) : null}
      {snapshotLoaded && shownView === 'about' && snapshot ? <AboutPage version={snapshot.version} shell={shell} workerRoundTripMs={workerRoundTripMs} dataDir={snapshot.dataDir} zid={snapshot.zid} /> : null}
      <SmartIncomingCall />
      <SmartCallNotices />
      <CallPanel hidden={ready && shownView !== 'call' && shownView !== 'settings'}>
        {!snapshotLoaded ? (
          <p className="muted">Connecting…</p>
        ) : needsSetup ? (
          <p className="muted">Finish setting up your account above to start calling.</p>
        ) : (
          <>
            {activeCall ? <SmartInCall key={activeCall.callId} call={activeCall} /> : <><SmartMismatchScreen /><SmartDialer /></>}
            <SmartOtherCalls />
          </>
        )}
      </CallPanel>
    </AppFrame>
  );
}
