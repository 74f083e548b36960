// The SAS panel: the short authentication string, large, to read aloud (RFC 6189 §7: B32 is four
// characters, B256 two PGP words), Matches / Doesn't match, the Verified badge, and full-width
// warnings when the cache or the identity changed (RFC 6189 §4.3.2) asking to compare again.
import type { SecurityInfo } from '../../shared/api';
import { blockingWarnings } from '../state/security';
import { isPostQuantum } from './names';

export interface SasPanelProps {
  security: SecurityInfo;
  busy: boolean;
  onMatches(): void;
  onMismatch(): void;
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

export function SasPanel({ security, busy, onMatches, onMismatch }: SasPanelProps) {
  const warnings = blockingWarnings(security);
  if (security.mode !== 'zrtp' || !security.sas) return null;
  const askToCompare = !security.verified || warnings.length > 0;
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
      {security.verified && warnings.length === 0 ? (
        <p className="verified-line" role="status">
          <span className="badge verified">Verified</span> You compared this code with your partner.
        </p>
      ) : null}
      {askToCompare ? (
        <>
          <p className="sas-prompt">Read this aloud; does your partner hear the same?</p>
          <div className="actions" role="group" aria-label="Does the code match?">
            <button type="button" className="primary" disabled={busy} onClick={onMatches}>
              Matches
            </button>
            <button type="button" className="danger" disabled={busy} onClick={onMismatch}>
              Doesn&apos;t match
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
