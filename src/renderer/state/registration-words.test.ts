import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { RegistrationInfo } from '../../shared/api';
import { accountName, registrationWords } from './registration-words';

const alice = 'sip:alice@example.org';

describe('registrationWords', () => {
  it('says who you are signed in as, without the sip: scheme', () => {
    expect(registrationWords({ state: 'registered', address: alice })).toEqual({ text: 'Signed in as alice@example.org', detail: '' });
    expect(registrationWords({ state: 'registering', address: `${alice};transport=tls` }).text).toBe('Signing in as alice@example.org…');
    expect(registrationWords({ state: 'unregistered', address: alice }).text).toBe('Not signed in');
    expect(registrationWords({ state: 'unregistered', address: '' }).text).toBe('Direct IP calls only (no server)');
  });

  it('a refused password is "Wrong user name or password", the status behind Details', () => {
    // As the main process reports it: a plain reason from the REGISTER transaction.
    const w = registrationWords({ state: 'failed', address: alice, reason: 'REGISTER failed: 401 Unauthorized', retryInSeconds: 8 });
    expect(w.text).toBe('Wrong user name or password. Trying again in 8 s.');
    expect(w.detail).toBe('The server refused the sign-in (401 Unauthorized). Account: alice@example.org.');
    expect(registrationWords({ state: 'failed', address: alice, sipStatus: 407, reason: 'Proxy Authentication Required' }).text).toBe('Wrong user name or password.');
  });

  it('a 403 says the server refused, and Details has the status', () => {
    const w = registrationWords({ state: 'failed', address: alice, sipStatus: 403, reason: 'Forbidden' });
    expect(w.text).toBe('example.org refused to sign you in. Check the account details from your provider.');
    expect(w.detail).toContain('The server refused the sign-in (403 Forbidden).');
  });

  it('no answer is "Can\'t reach <server>", while trying and after failing', () => {
    const trying = registrationWords({ state: 'registering', address: alice, reason: 'no answer from sip.example.org:5060', retryInSeconds: 4 });
    expect(trying.text).toBe("Can't reach sip.example.org yet. Trying again in 4 s.");
    expect(trying.detail).toBe('Reason: no answer from sip.example.org:5060. Account: alice@example.org.');
    const failed = registrationWords({ state: 'failed', address: alice, reason: 'no answer from sip.example.org:5060', retryInSeconds: 16 });
    expect(failed.text).toBe("Can't reach sip.example.org. Trying again in 16 s.");
    expect(registrationWords({ state: 'failed', address: alice, reason: 'connect ECONNREFUSED 127.0.0.1:5061' }).text).toBe("Can't reach example.org.");
  });

  it('a name that does not resolve, a bad certificate, a server error, anything else', () => {
    expect(registrationWords({ state: 'failed', address: alice, reason: 'getaddrinfo ENOTFOUND example.org' }).text).toBe("Can't find example.org: check the server name.");
    expect(registrationWords({ state: 'failed', address: alice, reason: "The server's certificate is not signed by a trusted authority" }).text).toBe(
      "Can't sign in to example.org securely: its certificate is not trusted.",
    );
    expect(registrationWords({ state: 'failed', address: alice, reason: 'REGISTER failed: 503 Service Unavailable' }).text).toBe('example.org has a problem and cannot sign you in right now.');
    expect(registrationWords({ state: 'failed', address: alice, reason: 'REGISTER failed: 404 Not Found' }).text).toBe('example.org does not know the account alice@example.org.');
    const other = registrationWords({ state: 'failed', address: alice, reason: 'socket closed' });
    expect(other.text).toBe("Couldn't sign in to example.org.");
    expect(other.detail).toBe('Reason: socket closed. Account: alice@example.org.');
  });

  it('never throws and always says something, whatever main reports', () => {
    const state = fc.constantFrom<RegistrationInfo['state']>('registered', 'registering', 'unregistered', 'failed');
    fc.assert(
      fc.property(state, fc.string(), fc.option(fc.string(), { nil: undefined }), fc.option(fc.integer({ min: 100, max: 699 }), { nil: undefined }), (s, address, reason, sipStatus) => {
        expect(registrationWords({ state: s, address, reason, sipStatus }).text.trim()).not.toBe('');
      }),
    );
    expect(accountName('<sips:bob@example.org;transport=tls>')).toBe('bob@example.org');
  });
});
