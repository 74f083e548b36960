// The call timeout (a main setting) and the advanced network settings, folded away by default so
// the main settings stay for people: SIP ports, a pinned address, our TLS certificate and key,
// an outbound proxy, DNS servers and the NAT keep-alive. Each field has its label, a hint and its
// own error beside it.
import type { NetworkDraft, NetworkErrors, NetworkField } from '../state/validate-network';
import { describedBy, FieldNotes } from './FieldNotes';

interface FieldProps {
  field: NetworkField;
  label: string;
  value: string;
  error: string | undefined;
  hint: string;
  numeric?: boolean;
  placeholder?: string;
  onChange(value: string): void;
}

function NetworkInput({ field, label, value, error, hint, numeric, placeholder, onChange }: FieldProps) {
  const id = `network-${field}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={field}
        type="text"
        inputMode={numeric ? 'numeric' : undefined}
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldNotes id={id} field={field} hint={hint} error={error} />
    </div>
  );
}

export interface NetworkFieldsProps {
  draft: NetworkDraft;
  errors: NetworkErrors;
  onChange(patch: Partial<NetworkDraft>): void;
}

/** A field's value, error and change handler from the draft, so each field below names itself once. */
function binder({ draft, errors, onChange }: NetworkFieldsProps) {
  return (field: NetworkField) => ({ field, value: draft[field], error: errors[field], onChange: (value: string) => onChange({ [field]: value }) });
}

/** When a call ends for lack of media (issue 16: a peer that vanished). */
export function CallTimeoutField(props: NetworkFieldsProps) {
  const bind = binder(props);
  return (
    <fieldset>
      <legend>Calls</legend>
      <NetworkInput
        {...bind('mediaTimeoutSeconds')}
        label="End a call after N seconds without media"
        numeric
        hint="When nothing arrives from the other side for this long, it has gone away and the call ends (1 to 3600 seconds; 30 by default). A call on hold stays up."
      />
    </fieldset>
  );
}

export interface AdvancedNetworkProps extends NetworkFieldsProps {
  open: boolean;
  onToggle(open: boolean): void;
}

export function AdvancedNetwork({ open, onToggle, ...fields }: AdvancedNetworkProps) {
  const bind = binder(fields);
  return (
    <details className="advanced-network" open={open} onToggle={(e) => onToggle(e.currentTarget.open)}>
      <summary>Advanced network</summary>
      <p className="hint">For a computer that needs them; the defaults suit most people. New ports, a new address or new TLS files take effect when no call is running.</p>
      <NetworkInput {...bind('sipPort')} label="SIP port (UDP and TCP)" numeric hint="5060 by default; when it is taken, the next free one. 0: any free port." />
      <NetworkInput {...bind('sipTlsPort')} label="SIP TLS port" numeric hint="5061 by default; open only with a certificate and its key below." />
      <NetworkInput
        {...bind('sipHost')}
        label="Listen only on this address"
        placeholder="every interface"
        hint="Empty: every interface, IPv4 and IPv6. An IP address of this computer keeps calls and media on it alone."
      />
      <NetworkInput {...bind('tlsCertFile')} label="TLS certificate file (PEM)" placeholder="/path/to/cert.pem" hint="Lets others call you over TLS. Calling out over TLS works without it." />
      <NetworkInput {...bind('tlsKeyFile')} label="TLS private key file (PEM)" placeholder="/path/to/key.pem" hint="The key of that certificate; it stays on this computer." />
      <NetworkInput
        {...bind('outboundProxy')}
        label="Outbound proxy"
        placeholder="proxy.example.org:5060;transport=tcp"
        hint="Every call goes through it. Empty: a registered account calls through its server, direct calls go straight."
      />
      <NetworkInput
        {...bind('dnsServers')}
        label="DNS servers"
        placeholder="the system's"
        hint="For SIP names: up to 8, separated by commas, like 192.0.2.53 or [2001:db8::53]:5353. Empty: the system's."
      />
      <NetworkInput
        {...bind('keepAliveSeconds')}
        label="Keep-alive to the server every N seconds"
        numeric
        hint="Keeps a home router's NAT mapping open so calls reach you (25 by default; 0 turns it off)."
      />
    </details>
  );
}
