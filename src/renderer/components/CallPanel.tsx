// The call region: the dialer when idle, the call when one is up. Presentational: the smart
// wrappers inside it decide which.
import type { ReactNode } from 'react';

export interface CallPanelProps {
  children?: ReactNode;
}

export function CallPanel({ children }: CallPanelProps) {
  return (
    <section className="panel call-panel" aria-label="Call">
      <h2>Call</h2>
      {children ?? <p className="muted">No call.</p>}
    </section>
  );
}
