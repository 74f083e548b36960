import { describe, it, expect } from 'vitest';
import { AccountSetup } from './AccountSetup';
import { html, noop, text } from './render';
import type { AccountDraft } from '../state/validate-account';

const draft: AccountDraft = { displayName: '', address: '', username: '', password: '', server: '', transport: 'udp', directIpOnly: false };

describe('AccountSetup', () => {
  it('labels every field', () => {
    const out = html(<AccountSetup draft={draft} errors={{}} hasStoredPassword={false} saving={false} submitError="" onChange={noop} onSubmit={noop} />);
    for (const [id, label] of [
      ['account-displayName', 'Display name'],
      ['account-address', 'SIP address'],
      ['account-server', 'Server'],
      ['account-transport', 'Transport'],
      ['account-username', 'User name'],
      ['account-password', 'Password'],
      ['account-directIpOnly', 'Direct IP only (no SIP server)'],
    ]) {
      expect(out).toContain(`<label for="${id}">${label}</label>`);
      expect(out).toContain(`id="${id}"`);
    }
    expect(out).toContain('Save and continue');
    expect(out).not.toContain('aria-invalid');
  });

  it('shows each field error beside its field and marks it invalid', () => {
    const el = (
      <AccountSetup
        draft={draft}
        errors={{ displayName: 'Enter the name the people you call will see.', server: 'Enter the server as host or host:port.' }}
        hasStoredPassword={false}
        saving={false}
        submitError=""
        onChange={noop}
        onSubmit={noop}
      />
    );
    const out = html(el);
    expect(out).toMatch(/id="account-displayName"[^>]*aria-invalid="true"[^>]*aria-describedby="account-displayName-error"/);
    expect(out).toContain('id="account-server-error" data-field="server">Enter the server as host or host:port.</p>');
    expect(text(el)).toContain('Please correct the 2 fields marked below.');
  });

  it('direct IP only disables the server fields; a save failure is announced', () => {
    const out = html(
      <AccountSetup draft={{ ...draft, directIpOnly: true }} errors={{}} hasStoredPassword={false} saving={true} submitError="Could not save: boom." onChange={noop} onSubmit={noop} />,
    );
    expect(out).toMatch(/id="account-server"[^>]*disabled=""/);
    expect(out).toContain('role="alert">Could not save: boom.</p>');
    expect(out).toContain('Saving…');
  });
});
