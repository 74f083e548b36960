import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorize, digestResponse, parseChallenge, pickChallenge } from './digest';

describe('digest authentication', () => {
  it('RFC 2617 §3.5 example (MD5, qop=auth)', () => {
    expect(
      digestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  // RFC 7616 §3.9.1 (the SHA-256 algorithm RFC 8760 brings to SIP).
  const rfc7616 = {
    username: 'Mufasa',
    realm: 'http-auth@example.org',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    qop: 'auth' as const,
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };
  it('RFC 7616 §3.9.1 example, MD5', () => {
    expect(digestResponse({ ...rfc7616, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });
  it('RFC 7616 §3.9.1 example, SHA-256', () => {
    expect(digestResponse({ ...rfc7616, algorithm: 'SHA-256' })).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('parses challenges and picks the first supported one (RFC 8760 §2.4)', () => {
    const c = parseChallenge('Digest realm="atlanta.com", domain="sip:ss1.carrier.com", qop="auth,auth-int", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5');
    expect(c).toMatchObject({ realm: 'atlanta.com', nonce: 'f84f1cec41e6cbe5aea9c8e88d359', qop: ['auth', 'auth-int'], opaque: '', stale: false, algorithm: 'MD5' });
    expect(pickChallenge(['Digest realm="a", nonce="n", algorithm=SHA-999', 'Digest realm="a", nonce="n", algorithm=SHA-256, qop="auth"'])?.algorithm).toBe('SHA-256');
    expect(parseChallenge('Basic realm="x"')).toBeUndefined();
  });

  it('builds an Authorization value a server can check', () => {
    const c = parseChallenge('Digest realm="vouch", nonce="abc", qop="auth", algorithm=SHA-256, opaque="o"')!;
    const auth = authorize(c, 'alice', 'pw', 'REGISTER', 'sip:127.0.0.1', 1, 'cn');
    const expected = digestResponse({ algorithm: 'SHA-256', username: 'alice', realm: 'vouch', password: 'pw', method: 'REGISTER', uri: 'sip:127.0.0.1', nonce: 'abc', qop: 'auth', nc: '00000001', cnonce: 'cn' });
    expect(auth).toBe(`Digest username="alice", realm="vouch", nonce="abc", uri="sip:127.0.0.1", response="${expected}", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="cn", opaque="o"`);
  });

  it('never throws on random challenge text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => void parseChallenge(`Digest ${s}`)));
  });
});
