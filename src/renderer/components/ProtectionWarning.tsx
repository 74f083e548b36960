// Shown the moment a settings change lowers protection, whoever made it: this window, another
// window, or a script holding the shell's token. Presentational: props only.
import type { ProtectionChange } from '../../shared/api';

const POLICY_WORDS = {
  'zrtp-required': 'end-to-end encryption required',
  'allow-sdes': 'SDES allowed (keys readable by SIP servers)',
  'allow-unencrypted': 'unencrypted calls allowed',
} as const;

export function describeProtectionChange(c: ProtectionChange): string {
  if (c.setting === 'autoAnswer') return 'Auto-answer was turned on: incoming calls are answered with nobody at the screen.';
  return `Call security was lowered from “${POLICY_WORDS[c.from]}” to “${POLICY_WORDS[c.to]}”.`;
}

export interface ProtectionWarningProps {
  changes: readonly ProtectionChange[];
  onDismiss(): void;
}

export function ProtectionWarning({ changes, onDismiss }: ProtectionWarningProps) {
  if (changes.length === 0) return null;
  return (
    <section className="warning-banner protection-warning" role="alert" aria-label="Protection lowered" data-testid="protection-warning">
      <strong>Protection lowered.</strong>
      <ul>
        {changes.map((c) => (
          <li key={c.setting} data-setting={c.setting}>
            {describeProtectionChange(c)}
          </li>
        ))}
      </ul>
      <p>If you did not change this, open Settings and change it back.</p>
      <button type="button" className="small" onClick={onDismiss}>
        I made this change
      </button>
    </section>
  );
}
