// The browser shell asks this window before another one may control Vouch (a second tab, or
// someone else who learnt the address). Presentational: props only.

export interface AdmissionPromptProps {
  /** Ids of the windows waiting; the oldest is asked about first. */
  requests: readonly number[];
  onAnswer(requestId: number, allow: boolean): void;
}

export function AdmissionPrompt({ requests, onAnswer }: AdmissionPromptProps) {
  const first = requests[0];
  if (first === undefined) return null;
  return (
    <section className="warning-banner admission-prompt" role="alertdialog" aria-label="Another window" aria-describedby="admission-prompt-text" data-testid="admission-prompt">
      <p id="admission-prompt-text">
        <strong>Another window wants to control Vouch.</strong> Allow it only if you just opened Vouch again yourself.
        {requests.length > 1 ? ` (${requests.length} windows are waiting.)` : ''}
      </p>
      <button type="button" onClick={() => onAnswer(first, true)}>
        Allow
      </button>{' '}
      <button type="button" onClick={() => onAnswer(first, false)}>
        Deny
      </button>
    </section>
  );
}
