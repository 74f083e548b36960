import { useEffect } from 'react';
import { connect } from './api/client';
import { useAppStore } from './state/app-store';
import { AppFrame } from './components/AppFrame';
import { CallPanel } from './components/CallPanel';

const connection = connect();

export function App() {
  const { connection: state, shell, workerRoundTripMs, error, set } = useAppStore();
  useEffect(() => {
    set({ shell: connection.shell });
    connection.ready
      .then(async () => {
        set({ connection: 'connected' });
        const snapshot = await connection.api.invoke('getState', {});
        set({ snapshot });
        const pong = await connection.api.invoke('ping', {});
        set({ workerRoundTripMs: pong.roundTripMs });
      })
      .catch((e: Error) => set({ connection: 'failed', error: e.message }));
  }, [set]);
  const statusLine = error
    ? `Error: ${error}`
    : workerRoundTripMs === null
      ? 'Media worker: waiting…'
      : `Media worker: round trip ${workerRoundTripMs.toFixed(2)} ms`;
  return (
    <AppFrame connection={state} shell={shell} statusLine={statusLine}>
      <CallPanel />
    </AppFrame>
  );
}
