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
import { SmartOtherCalls } from './smart/SmartOtherCalls';
import { SmartSettings } from './smart/SmartSettings';
import { useAppStore } from './state/app-store';
import { useActiveCall, useVouchStore } from './state/store';
import { describeFailure } from './state/words';

const connection = connect();
setConnection(connection);

export function App() {
  const { connection: state, shell, workerRoundTripMs, error, set } = useAppStore();
  const snapshotLoaded = useVouchStore((s) => s.snapshotLoaded);
  const needsSetup = useVouchStore((s) => s.needsSetup);
  const activeCall = useActiveCall();
  const [view, setView] = useState<'call' | 'settings'>('call');

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
        const pong = await connection.api.invoke('ping', {});
        set({ workerRoundTripMs: pong.roundTripMs });
      })
      .catch((e: Error) => set({ connection: 'failed', error: e.message }));
    return unsubscribe;
  }, [set]);

  const statusLine = error
    ? `Error: ${error}`
    : state === 'connecting' && connection.shell === 'browser'
      ? // The shell holds a second window until the open one allows it (browser-shell/admission.ts).
        'Connecting… If another Vouch window is open, allow this one there.'
      : workerRoundTripMs === null
        ? 'Media worker: waiting…'
        : `Media worker: round trip ${workerRoundTripMs.toFixed(2)} ms`;

  const settingsButton =
    snapshotLoaded && !needsSetup ? (
      <button type="button" aria-pressed={view === 'settings'} onClick={() => setView(view === 'settings' ? 'call' : 'settings')}>
        {view === 'settings' ? 'Back to calls' : 'Settings'}
      </button>
    ) : null;

  return (
    <AppFrame connection={state} shell={shell} statusLine={statusLine} actions={settingsButton}>
      <SmartAdmissionPrompt control={connection.control} />
      <SmartProtectionWarning />
      <SmartErrorBanner />
      {snapshotLoaded && needsSetup ? <SmartAccountSetup /> : null}
      {snapshotLoaded && !needsSetup && view === 'settings' ? <SmartSettings onClose={() => setView('call')} /> : null}
      <CallPanel>
        {!snapshotLoaded ? (
          <p className="muted">Connecting…</p>
        ) : needsSetup ? (
          <p className="muted">Finish setting up your account above to start calling.</p>
        ) : (
          <>
            <SmartIncomingCall />
            {activeCall ? <SmartInCall key={activeCall.callId} call={activeCall} /> : <><SmartMismatchScreen /><SmartDialer /></>}
            <SmartOtherCalls />
          </>
        )}
      </CallPanel>
    </AppFrame>
  );
}
