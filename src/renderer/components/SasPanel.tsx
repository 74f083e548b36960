// The SAS panel: the short authentication string, large, to read aloud (RFC 6189 §7: B32 is four
// characters, B256 two PGP words), Matches / Doesn't match, the Verified badge, and full-width
// warnings when the cache or the identity changed (RFC 6189 §4.3.2) asking to compare again.
// Guided: "You say" / "You hear" split the code between the two sides (state/sas-guide.ts), with
// spelling hints and the system voice. Once verified the panel shrinks to a badge on the stage.
import type { CallDirection, SecurityInfo } from '../../shared/api';
import { phoneticHints, sasHalves } from '../state/sas-guide';
import { blockingWarnings } from '../state/security';
import { isPostQuantum } from './names';

export interface SasPanelProps {
  security: SecurityInfo;
  busy: boolean;
  /** Who called: the caller says the first half, the callee the second. */
  direction?: CallDirection;
  /** Whether the system voice (speechSynthesis) exists here; without it there is no button. */
  canSpeak?: boolean;
  onMatches(): void;
  onMismatch(): void;
  onSpeak?(half: string): void;
  /** The Verified badge opens the security details. */
  onShowDetails?(): void;
}

/** How a screen reader should say the SAS: B32 letter by letter, B256 as its two words. */
export function spokenSas(sas: string, sasType: SecurityInfo['sasType']): string {
  if (sasType === 'B256') return sas.split(/\s+/).filter(Boolean).join(', ');
  return [...sas].map((c) => (/[0-9]/.test(c) ? c : c.toUpperCase())).join(' ');
}

const WARNING_TITLES = {
  'cache-mismatch': 'The keys from earlier calls with this person do not match.',
  'new-identity': 'This address has a new security identity.',
} as const;

export function SasPanel({ security, busy, direction = 'outgoing', canSpeak = false, onMatches, onMismatch, onSpeak, onShowDetails }: SasPanelProps) {
  const warnings = blockingWarnings(security);
  if (security.mode !== 'zrtp' || !security.sas) return null;
  const askToCompare = !security.verified || warnings.length > 0;
  if (!askToCompare) {
    return (
      <section className="sas-panel sas-badge" aria-label="Security" data-verified="true">
        <p className="verified-line" role="status">
          <button type="button" className="badge-button" onClick={onShowDetails} aria-label="Verified: show security details">
            <span className="badge verified">Verified</span>
          </button>{' '}
          <span className="sas-small" aria-hidden="true">
            {security.sasType === 'B32' ? security.sas.toUpperCase() : security.sas}
          </span>{' '}
          You compared this code with your partner.
        </p>
      </section>
    );
  }
  const halves = sasHalves(security.sas, security.sasType, direction);
  const hints = phoneticHints(halves.say, security.sasType);
  return (
    <section className="sas-panel" aria-labelledby="sas-title" data-verified={security.verified}>
      {warnings.map((w) => (
        <div key={w.kind} className="warning-banner" role="alert" data-kind={w.kind}>
          <strong>{WARNING_TITLES[w.kind]}</strong> {w.message} Someone may be listening in, or they reinstalled Vouch. Compare the code below again before you
          trust this call.
        </div>
      ))}
      <h3 id="sas-title">
        Security code
        {isPostQuantum(security.details.keyAgreement) ? (
          <span className="badge post-quantum" title="Keys agreed with X25519 and ML-KEM: safe from a future quantum computer">
            Post-quantum
          </span>
        ) : null}
      </h3>
      <p className={`sas sas-${security.sasType || 'B32'}`} data-testid="sas">
        <span className="visually-hidden">Security code: {spokenSas(security.sas, security.sasType)}</span>
        <span aria-hidden="true">{security.sasType === 'B32' ? security.sas.toUpperCase() : security.sas}</span>
      </p>
      <p className="sas-prompt">Read this aloud; does your partner hear the same?</p>
      <div className="sas-guide" aria-live="polite">
        <p className="sas-say">
          You say: <strong data-testid="sas-say">{halves.say}</strong>
          {hints.length > 0 ? <span className="sas-hints"> ({hints.join(', ')})</span> : null}
        </p>
        <p className="sas-hear">
          Then listen: your partner should say <strong data-testid="sas-hear">{halves.hear}</strong>. Press Matches only if you heard it.
        </p>
        {canSpeak && onSpeak ? (
          <button type="button" onClick={() => onSpeak(halves.say)} aria-label={`How do I say it? Speak ${halves.say}`}>
            How do I say it?
          </button>
        ) : null}
      </div>
      <div className="actions" role="group" aria-label="Does the code match?">
        <button type="button" className="primary" disabled={busy} onClick={onMatches}>
          Matches
        </button>
        <button type="button" className="danger" disabled={busy} onClick={onMismatch}>
          Doesn&apos;t match
        </button>
      </div>
    </section>
  );
}
