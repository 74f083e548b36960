import { describe, it, expect } from 'vitest';
import { mediaBindFor, readTlsIdentity } from './listening';

describe('listening', () => {
  it('media binds the pinned host, else every interface of the advertised family', () => {
    expect(mediaBindFor('127.0.0.1', '127.0.0.1')).toBe('127.0.0.1');
    expect(mediaBindFor(undefined, '::1')).toBe('::');
    expect(mediaBindFor(undefined, '127.0.0.1')).toBe('0.0.0.0');
    expect(mediaBindFor('0.0.0.0', '::1')).toBe('::');
  });

  it('no certificate configured: no identity; an unreadable one: a problem, not a throw', () => {
    expect(readTlsIdentity(undefined, '/k')).toEqual({});
    expect(readTlsIdentity('/nonexistent/vouch-cert.pem', '/nonexistent/vouch-key.pem')).toEqual({ problem: 'cannot read the certificate or key: ENOENT' });
  });
});
