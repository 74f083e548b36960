// The call region: the dialer when idle, the call when one is up. Presentational: the smart
// wrappers inside it decide which.
import type { ReactNode } from 'react';

export interface CallPanelProps {
  children?: ReactNode;
  /** Another page is shown; the call stays mounted (its media and state live on). */
  hidden?: boolean;
}

export function CallPanel({ children, hidden = false }: CallPanelProps) {
  return (
    <section className="panel call-panel" aria-label="Call" hidden={hidden}>
      <h2>Call</h2>
      {children ?? <p className="muted">No call.</p>}
    </section>
  );
}
