// After "Doesn't match": a screen, not a toast. The codes differed, so the call may have been
// intercepted (RFC 6189 §7: a mismatched SAS means a man in the middle); it is over, and here is
// what to do next.
export interface MismatchScreenProps {
  who: string;
  onCallAgain(): void;
  onClose(): void;
}

export function MismatchScreen({ who, onCallAgain, onClose }: MismatchScreenProps) {
  return (
    <section className="mismatch-screen" role="alertdialog" aria-labelledby="mismatch-title" aria-describedby="mismatch-body" data-testid="mismatch-screen">
      <h2 id="mismatch-title">The security codes did not match</h2>
      <div id="mismatch-body">
        <p>
          <strong>The call with {who} was hung up.</strong> Someone may have been listening: the two phones agreed keys with
          different parties.
        </p>
        <p>What to do next:</p>
        <ol>
          <li>Don&apos;t say anything sensitive on this connection.</li>
          <li>Reach {who} another way (in person, or a number you already trust) and tell them.</li>
          <li>Call again and compare the new code, each of you reading your half aloud.</li>
          <li>If the codes differ again, don&apos;t use this network for private calls.</li>
        </ol>
        <p className="muted">{who} is marked as not verified until a code matches.</p>
      </div>
      <div className="actions">
        <button type="button" className="primary" onClick={onCallAgain}>
          Call {who} again
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
