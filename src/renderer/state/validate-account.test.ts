import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { accountFieldOf, hasErrors, validateAccount, type AccountDraft } from './validate-account';

const good: AccountDraft = {
  displayName: 'Alice',
  address: 'sip:alice@example.org',
  username: 'alice',
  password: 'secret',
  server: 'sip.example.org:5060',
  transport: 'udp',
  directIpOnly: false,
};

describe('validateAccount', () => {
  it('accepts a complete server account and a direct-IP-only account', () => {
    expect(validateAccount(good)).toEqual({});
    expect(validateAccount({ ...good, address: '', server: '', password: '', directIpOnly: true })).toEqual({});
  });

  it('names each bad field with a message', () => {
    const e = validateAccount({ ...good, displayName: ' ', address: 'alice@example.org', server: 'bad host!', password: '' });
    expect(e.displayName).toMatch(/name/);
    expect(e.address).toMatch(/sip:alice@example\.org/);
    expect(e.server).toMatch(/host:port/);
    expect(e.password).toMatch(/password/);
    expect(hasErrors(e)).toBe(true);
  });

  it('requires a SIP address with a server, and checks it when given in direct-IP mode', () => {
    expect(validateAccount({ ...good, address: '' }).address).toMatch(/Enter your SIP address/);
    expect(validateAccount({ ...good, directIpOnly: true, address: 'nope' }).address).toBeDefined();
  });

  it('a stored password counts as entered; ports outside 1-65535 are refused', () => {
    expect(validateAccount({ ...good, password: '' }, { hasStoredPassword: true })).toEqual({});
    expect(validateAccount({ ...good, server: 'sip.example.org:70000' }).server).toMatch(/65535/);
  });

  it('bounds lengths as AppCore does', () => {
    expect(validateAccount({ ...good, displayName: 'x'.repeat(129) }).displayName).toMatch(/128/);
    expect(validateAccount({ ...good, password: 'x'.repeat(1025) }).password).toMatch(/1024/);
  });

  it('never throws on any input', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), fc.boolean(), (displayName, address, server, password, directIpOnly) => {
        const e = validateAccount({ ...good, displayName, address, server, password, directIpOnly });
        expect(typeof e).toBe('object');
      }),
    );
  });

  it('maps AppCore field names onto form fields', () => {
    expect(accountFieldOf('account.server')).toBe('server');
    expect(accountFieldOf('zrtp.sasType')).toBeNull();
    expect(accountFieldOf(undefined)).toBeNull();
  });
});
