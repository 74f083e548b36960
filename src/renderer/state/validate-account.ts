// Field-by-field validation of the account form, with the same rules AppCore applies
// (src/main/store/settings.ts), so a person sees what is wrong beside the field before saving.
import type { Transport } from '../../shared/api';

export interface AccountDraft {
  displayName: string;
  address: string;
  username: string;
  password: string;
  server: string;
  transport: Transport;
  directIpOnly: boolean;
  /** PEM of a CA (or a self-signed server certificate) trusted for TLS besides the usual roots. */
  trustedCaPem?: string;
}

export type AccountField = keyof AccountDraft;
export type AccountErrors = Partial<Record<AccountField, string>>;

const SIP_URI = /^sips?:[^\s@]+@[^\s@]+$/i;
const MAX_CA_PEM = 65536;
const HOST_PORT = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

function portOf(server: string): number | null {
  const m = /:(\d{1,5})$/.exec(server);
  return m ? Number(m[1]) : null;
}

export function validateAccount(a: AccountDraft, options: { hasStoredPassword?: boolean } = {}): AccountErrors {
  const errors: AccountErrors = {};
  const name = a.displayName.trim();
  if (name === '') errors.displayName = 'Enter the name the people you call will see.';
  else if (a.displayName.length > 128) errors.displayName = 'The name can be at most 128 characters.';

  const address = a.address.trim();
  if (address.length > 256) errors.address = 'The SIP address can be at most 256 characters.';
  else if (!a.directIpOnly && address === '') errors.address = 'Enter your SIP address, like sip:alice@example.org.';
  else if (address !== '' && !SIP_URI.test(address)) errors.address = 'A SIP address looks like sip:alice@example.org.';

  if (a.username.length > 256) errors.username = 'The user name can be at most 256 characters.';
  if (a.password.length > 1024) errors.password = 'The password can be at most 1024 characters.';
  else if (!a.directIpOnly && a.server.trim() !== '' && a.password === '' && !options.hasStoredPassword) {
    errors.password = 'Enter the password for your SIP account.';
  }

  const server = a.server.trim();
  if (server.length > 256) errors.server = 'The server can be at most 256 characters.';
  else if (!a.directIpOnly && server !== '') {
    const port = portOf(server);
    if (!HOST_PORT.test(server)) errors.server = 'Enter the server as host or host:port, like sip.example.org:5060.';
    else if (port !== null && (port < 1 || port > 65535)) errors.server = 'The port must be between 1 and 65535.';
  }
  if (!['udp', 'tcp', 'tls'].includes(a.transport)) errors.transport = 'Choose UDP, TCP or TLS.';
  const ca = (a.trustedCaPem ?? '').trim();
  if (ca.length > MAX_CA_PEM) errors.trustedCaPem = 'The certificate text can be at most 64 KB.';
  else if (ca !== '' && !ca.includes('BEGIN CERTIFICATE')) errors.trustedCaPem = 'Paste a PEM certificate: the text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.';
  return errors;
}

export function hasErrors(errors: AccountErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** Maps AppCore's `account.server`-style field names onto the form's fields. */
export function accountFieldOf(settingsField: string | undefined): AccountField | null {
  if (!settingsField?.startsWith('account.')) return null;
  const f = settingsField.slice('account.'.length);
  return ['displayName', 'address', 'username', 'password', 'server', 'transport', 'directIpOnly', 'trustedCaPem'].includes(f) ? (f as AccountField) : null;
}
