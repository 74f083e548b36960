// The call panel. At this depth it shows that no call is up.
export function CallPanel() {
  return (
    <section className="panel" aria-label="Call">
      <h2>Call</h2>
      <p className="muted">No call.</p>
    </section>
  );
}
