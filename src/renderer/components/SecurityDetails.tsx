// What protects the call: ZRTP (end-to-end) or SDES (encrypted, not end-to-end), and the
// negotiated algorithms (RFC 6189 §5.1.2-§5.1.6 names).
import type { SecurityInfo } from '../../shared/api';
import { algorithmName, quantumResistance } from './names';

export interface SecurityDetailsProps {
  security: SecurityInfo;
  /** Controlled by the stage: the Verified badge opens it. */
  open?: boolean;
  onToggle?(open: boolean): void;
}

function modeText(s: SecurityInfo): string {
  if (s.mode === 'zrtp') return 'ZRTP: end-to-end encrypted; keys agreed between the two phones.';
  if (s.mode === 'sdes') return 'SDES: encrypted, not end-to-end. The keys travelled through the SIP servers.';
  return 'Not encrypted.';
}

export function SecurityDetails({ security: s, open, onToggle }: SecurityDetailsProps) {
  const rows: [string, string][] = [
    ['Protection', modeText(s)],
    ['Key agreement', algorithmName(s.details.keyAgreement)],
    ...(s.mode === 'zrtp' ? [['Quantum resistance', quantumResistance(s.details.keyAgreement)] as [string, string]] : []),
    ['Cipher', algorithmName(s.details.cipher)],
    ['Hash', algorithmName(s.details.hash)],
    ['Authentication tag', algorithmName(s.details.authTag)],
    ['SAS type', algorithmName(s.details.sasType || s.sasType)],
    ['SRTP suite', s.details.srtpSuite || 'not negotiated'],
  ];
  if (s.peerZid) rows.push(['Peer ZRTP identity (ZID)', s.peerZid]);
  for (const [stream, st] of Object.entries(s.perStream)) {
    if (st) rows.push([`${stream === 'audio' ? 'Audio' : 'Video'} stream`, `${st.state}${st.multistream ? ' (multistream)' : ''}`]);
  }
  const otherWarnings = s.warnings.filter((w) => w.kind !== 'cache-mismatch' && w.kind !== 'new-identity');
  return (
    <>
      {otherWarnings.map((w, i) => (
        <p key={i} className="warning-banner" role="alert" data-kind={w.kind}>
          {w.message}
        </p>
      ))}
      <details
        className="security-details"
        id="security-details"
        data-mode={s.mode}
        open={open}
        onToggle={onToggle ? (e) => onToggle((e.currentTarget as HTMLDetailsElement).open) : undefined}
      >
      <summary>Security details{s.mode === 'sdes' ? ' — encrypted, not end-to-end' : ''}</summary>
      <dl>
        {rows.map(([k, v]) => (
          <div key={k} className="row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      </details>
    </>
  );
}
