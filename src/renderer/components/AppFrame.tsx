// The app frame: title, connection status, header controls, the content and a status line. Presentational:
// props only, so it renders in a test without a store.
import type { ReactNode } from 'react';

export interface AppFrameProps {
  connection: 'connecting' | 'connected' | 'failed';
  shell: string;
  statusLine: string;
  /** Header controls (the Settings button). */
  actions?: ReactNode;
  children?: ReactNode;
}

const CONNECTION_TEXT = { connecting: 'Connecting to Vouch…', connected: 'Connected', failed: 'Not connected' } as const;

export function AppFrame({ connection, shell, statusLine, actions, children }: AppFrameProps) {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Vouch</h1>
        <span className="connection" data-state={connection} role="status" aria-label="Connection status">
          {CONNECTION_TEXT[connection]}
          {shell ? ` (${shell} shell)` : ''}
        </span>
        {actions ? <nav aria-label="App">{actions}</nav> : null}
      </header>
      <main>{children}</main>
      <footer className="status-line" data-testid="status-line" role="status" aria-live="polite">
        {statusLine}
      </footer>
    </div>
  );
}
