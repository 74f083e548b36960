// A contact's security at a glance: never called, not verified, verified, or (in red) key changed.
import type { ContactSecurity } from '../../shared/api';
import { securityBadge } from '../state/contact-words';

export function ContactSecurityBadge({ security }: { security: ContactSecurity }) {
  const b = securityBadge(security);
  return (
    <span className={`badge contact-security ${b.tone === 'ok' ? 'verified' : b.tone}`} data-level={security.level}>
      {b.text}
    </span>
  );
}
