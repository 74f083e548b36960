// The CA a person trusts for a TLS server (issue 16): the field shows with TLS, its errors sit
// beside it, and it goes to AppCore as account.trustedCaPem (empty removes it).
import { describe, expect, it } from 'vitest';
import { AccountFields } from './AccountFields';
import { html, noop } from './render';
import { publicSettings } from '../state/fixtures';
import { accountDraftOf, accountPatch } from '../state/settings-draft';
import { accountFieldOf, validateAccount } from '../state/validate-account';
import type { AccountDraft } from '../state/validate-account';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const tls: AccountDraft = { displayName: 'Alice', address: 'sip:alice@example.org', username: 'alice', password: 'pw', server: 'pbx.example.org', transport: 'tls', directIpOnly: false, trustedCaPem: PEM };

describe('trusted server certificate (TLS)', () => {
  it('is asked for only with TLS to a server, labelled, with its hint', () => {
    const out = html(<AccountFields draft={tls} errors={{}} hasStoredPassword={false} onChange={noop} />);
    expect(out).toContain('<label for="account-trustedCaPem">Trusted server certificate (PEM)</label>');
    expect(out).toMatch(/<textarea id="account-trustedCaPem"[^>]*aria-describedby="account-trustedCaPem-hint"/);
    expect(out).toContain('BEGIN CERTIFICATE');
    expect(html(<AccountFields draft={{ ...tls, transport: 'udp' }} errors={{}} hasStoredPassword={false} onChange={noop} />)).not.toContain('account-trustedCaPem');
    expect(html(<AccountFields draft={{ ...tls, directIpOnly: true }} errors={{}} hasStoredPassword={false} onChange={noop} />)).not.toContain('account-trustedCaPem');
  });

  it('refuses text that is not a PEM certificate, beside the field', () => {
    const errors = validateAccount({ ...tls, trustedCaPem: 'not a certificate' });
    expect(errors.trustedCaPem).toMatch(/Paste a PEM certificate/);
    expect(validateAccount(tls)).toEqual({});
    expect(validateAccount({ ...tls, trustedCaPem: '' })).toEqual({});
    const out = html(<AccountFields draft={tls} errors={errors} hasStoredPassword={false} onChange={noop} />);
    expect(out).toMatch(/id="account-trustedCaPem"[^>]*aria-invalid="true"[^>]*aria-describedby="account-trustedCaPem-hint account-trustedCaPem-error"/);
    expect(accountFieldOf('account.trustedCaPem')).toBe('trustedCaPem');
  });

  it('goes to AppCore as account.trustedCaPem, trimmed; an emptied field removes it', () => {
    const s = publicSettings();
    const draft = accountDraftOf({ ...s, account: { ...s.account, transport: 'tls', trustedCaPem: PEM } });
    expect(draft.trustedCaPem).toBe(PEM);
    expect(accountPatch({ ...draft, trustedCaPem: `\n${PEM}\n` })?.trustedCaPem).toBe(PEM);
    expect(accountPatch({ ...draft, trustedCaPem: '' })?.trustedCaPem).toBe('');
  });
});

describe('where the password is kept (issue 22)', () => {
  it('Settings says the system keychain or a file only you can read, beside the password', () => {
    expect(html(<AccountFields draft={tls} errors={{}} hasStoredPassword={true} passwordLocation="keychain" onChange={noop} />)).toContain('A password is stored in the system keychain; leave empty to keep it.');
    expect(html(<AccountFields draft={tls} errors={{}} hasStoredPassword={false} passwordLocation="file" onChange={noop} />)).toContain('Kept in a file only you can read.');
    expect(html(<AccountFields draft={tls} errors={{}} hasStoredPassword={true} onChange={noop} />)).toContain('A password is stored; leave empty to keep it.');
  });
});
