// Vouch's SIP UA with Kamailio as registrar and proxy (digest auth, SHA-256 per RFC 8760):
// REGISTER, a call between two Vouch UAs through it (INVITE with proxy auth, Record-Route,
// BYE along the route set), and unregister on close, over UDP, TCP and TLS (a throwaway CA).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipUa } from '../../src/main/sip';
import type { SipSession, SipUaOptions, TransportProtocol } from '../../src/main/sip';
import { Kamailio, makeCertificates } from './kamailio/kamailio';
import type { Certificates } from './kamailio/kamailio';
import { findPeer } from './peers';
import { literalAnswer, literalOffer } from './sipp/sdp-literal';
import { rmSync } from 'node:fs';
import { peerPort } from './ports';

const kamailio = findPeer('kamailio', 'kamailio kamailio-tls-modules');
const openssl = findPeer('openssl', 'openssl');
const PASSWORD = 'correct horse';

describe.skipIf(!kamailio || !openssl)('SIP through Kamailio', () => {
  let k: Kamailio;
  let certs: Certificates;
  const ports = { UDP: 0, TCP: 0, TLS: 0 };
  const uas: SipUa[] = [];

  beforeAll(async () => {
    certs = makeCertificates(openssl!);
    ports.UDP = await peerPort();
    ports.TCP = await peerPort();
    ports.TLS = await peerPort();
    k = await Kamailio.start({ bin: kamailio!, udpPort: ports.UDP, tcpPort: ports.TCP, tlsPort: ports.TLS, tlsCert: certs.serverCert, tlsKey: certs.serverKey, password: PASSWORD });
  });
  afterAll(async () => {
    await Promise.all(uas.map((u) => u.close()));
    await k?.stop();
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  // TLS uses sips: URIs (RFC 3261 §19.1, §26.2.2), the others sip: with a transport parameter.
  const uri = (user: string, p: TransportProtocol): string =>
    `${p === 'TLS' ? 'sips' : 'sip'}:${user ? `${user}@` : ''}127.0.0.1:${ports[p]}${p === 'TCP' ? ';transport=tcp' : ''}`;

  async function ua(user: string, p: TransportProtocol, extra: Partial<SipUaOptions> = {}): Promise<SipUa> {
    const u = await SipUa.start({
      user,
      host: '127.0.0.1',
      domain: '127.0.0.1',
      registrar: uri('', p),
      password: PASSWORD,
      tcp: p === 'TCP' ? { port: 0 } : undefined,
      tls: p === 'TLS' ? { port: 0, ca: certs.caPem, cert: certs.clientCertPem, key: certs.clientKeyPem } : undefined,
      ...extra,
    });
    uas.push(u);
    return u;
  }

  for (const p of ['UDP', 'TCP', 'TLS'] as const) {
    it(`${p}: registers with digest auth, calls through the proxy, hangs up, unregisters`, async () => {
      const alice = await ua(`alice${p}`, p);
      const bob = await ua(`bob${p}`, p);
      expect(alice.registration?.expires).toBeGreaterThan(0);
      const incoming = new Promise<SipSession>((r) => bob.once('incoming', r));
      const out = alice.invite(uri(`bob${p}`, p), literalOffer());
      const inc = await incoming;
      inc.accept(literalAnswer(inc.remoteBody!));
      expect((await out.answered).body).toContain('m=audio');
      expect(out.dialog?.routeSet.length).toBe(1); // Kamailio's Record-Route
      out.bye();
      expect(await inc.ended).toMatchObject({ by: 'remote', reason: 'BYE' });
      await bob.close();
      const again = alice.invite(uri(`bob${p}`, p), literalOffer());
      await expect(again.answered).rejects.toMatchObject({ status: 404 });
    }, 20000);
  }

  it('refuses a wrong password', async () => {
    await expect(SipUa.start({ user: 'mallory', host: '127.0.0.1', domain: '127.0.0.1', registrar: uri('', 'UDP'), password: 'wrong' })).rejects.toThrow(/REGISTER failed: 401/);
  });

  it('TLS: refuses a registrar whose certificate is not from a trusted CA', async () => {
    await expect(SipUa.start({ user: 'eve', host: '127.0.0.1', domain: '127.0.0.1', registrar: uri('', 'TLS'), password: PASSWORD, tls: { port: 0 } })).rejects.toThrow(/REGISTER failed: 503 .*certificate/);
  });
});
