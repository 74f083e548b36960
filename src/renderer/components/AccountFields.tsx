// The account fields (display name, SIP address, user name, password, server, transport, the CA
// trusted for TLS, direct IP only), each with its label and its own error message, shared by
// first-run setup and Settings.
import type { Transport } from '../../shared/api';
import type { AccountDraft, AccountErrors, AccountField } from '../state/validate-account';
import { describedBy, FieldNotes } from './FieldNotes';

export interface AccountFieldsProps {
  draft: AccountDraft;
  errors: AccountErrors;
  hasStoredPassword: boolean;
  /** Where the password is kept (Settings says so; first-run setup does not). */
  passwordLocation?: 'keychain' | 'file';
  onChange(patch: Partial<AccountDraft>): void;
}

const KEPT: Record<'keychain' | 'file', string> = { keychain: 'in the system keychain', file: 'in a file only you can read' };

function passwordHint(hasStoredPassword: boolean, location: 'keychain' | 'file' | undefined): string | undefined {
  if (hasStoredPassword) return location ? `A password is stored ${KEPT[location]}; leave empty to keep it.` : 'A password is stored; leave empty to keep it.';
  return location ? `Kept ${KEPT[location]}.` : undefined;
}

interface TextFieldProps {
  field: AccountField;
  label: string;
  value: string;
  error: string | undefined;
  hint?: string;
  type?: 'text' | 'password';
  placeholder?: string;
  disabled?: boolean;
  autoComplete?: string;
  onChange(value: string): void;
}

function TextField({ field, label, value, error, hint, type = 'text', placeholder, disabled, autoComplete, onChange }: TextFieldProps) {
  const id = `account-${field}`;
  // The error first here (read before the hint), unlike describedBy's order.
  const described = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={field}
        type={type}
        value={value}
        placeholder={placeholder}
        disabled={disabled}
        autoComplete={autoComplete ?? 'off'}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldNotes id={id} field={field} hint={hint} error={error} />
    </div>
  );
}

const TRUSTED_CA_HINT =
  'Only for a server whose certificate is not trusted by default (its own CA or a self-signed certificate): paste the certificate you got from its administrator and checked with them.';

/**
 * The CA to trust for the server's TLS certificate, besides the usual roots: what a person does
 * after "The server's certificate is not trusted (self-signed). Trust it in Settings".
 */
function TrustedCa({ value, error, onChange }: { value: string; error: string | undefined; onChange(value: string): void }) {
  const id = 'account-trustedCaPem';
  return (
    <div className="field">
      <label htmlFor={id}>Trusted server certificate (PEM)</label>
      <textarea
        id={id}
        name="trustedCaPem"
        rows={4}
        value={value}
        spellCheck={false}
        placeholder="-----BEGIN CERTIFICATE-----"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, TRUSTED_CA_HINT, error)}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldNotes id={id} field="trustedCaPem" hint={TRUSTED_CA_HINT} error={error} />
    </div>
  );
}

const TRANSPORTS: { value: Transport; label: string }[] = [
  { value: 'udp', label: 'UDP' },
  { value: 'tcp', label: 'TCP' },
  { value: 'tls', label: 'TLS (encrypted signalling)' },
];

export function AccountFields({ draft, errors, hasStoredPassword, passwordLocation, onChange }: AccountFieldsProps) {
  const serverOff = draft.directIpOnly;
  return (
    <fieldset className="account-fields">
      <legend>Account</legend>
      <TextField field="displayName" label="Display name" value={draft.displayName} error={errors.displayName} autoComplete="name" onChange={(v) => onChange({ displayName: v })} />
      <div className="field checkbox">
        <input id="account-directIpOnly" type="checkbox" checked={draft.directIpOnly} onChange={(e) => onChange({ directIpOnly: e.target.checked })} aria-describedby="account-directIpOnly-hint" />
        <label htmlFor="account-directIpOnly">Direct IP only (no SIP server)</label>
        <p className="hint" id="account-directIpOnly-hint">
          Call addresses like sip:bob@192.0.2.7 straight, without registering anywhere.
        </p>
      </div>
      <TextField
        field="address"
        label="SIP address"
        value={draft.address}
        error={errors.address}
        placeholder="sip:alice@example.org"
        hint={serverOff ? 'Optional in direct IP mode.' : undefined}
        onChange={(v) => onChange({ address: v })}
      />
      <TextField field="server" label="Server" value={draft.server} error={errors.server} placeholder="sip.example.org:5060" disabled={serverOff} onChange={(v) => onChange({ server: v })} />
      <div className="field">
        <label htmlFor="account-transport">Transport</label>
        <select id="account-transport" value={draft.transport} disabled={serverOff} aria-invalid={errors.transport ? true : undefined} onChange={(e) => onChange({ transport: e.target.value as Transport })}>
          {TRANSPORTS.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
        {errors.transport ? <p className="field-error">{errors.transport}</p> : null}
      </div>
      {draft.transport === 'tls' && !serverOff ? <TrustedCa value={draft.trustedCaPem ?? ''} error={errors.trustedCaPem} onChange={(v) => onChange({ trustedCaPem: v })} /> : null}
      <TextField field="username" label="User name" value={draft.username} error={errors.username} disabled={serverOff} autoComplete="username" onChange={(v) => onChange({ username: v })} />
      <TextField
        field="password"
        label="Password"
        type="password"
        value={draft.password}
        error={errors.password}
        disabled={serverOff}
        autoComplete="current-password"
        hint={passwordHint(hasStoredPassword, passwordLocation)}
        onChange={(v) => onChange({ password: v })}
      />
    </fieldset>
  );
}
