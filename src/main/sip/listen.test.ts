// Listening like a phone, pinned to loopback: UDP and TCP on one number, the next free one when
// another program holds it (and a note saying so), TLS only with a certificate and key.
import { describe, it, expect, afterEach } from 'vitest';
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { connect } from 'node:tls';
import { rmSync } from 'node:fs';
import { listenLikeAPhone } from './listen';
import type { SipTransport } from './transport';
import { findPeer } from '../../../test/interop/peers';
import { makeCertificates } from '../../../test/interop/kamailio/kamailio';

const HOST = '127.0.0.1';
const opened: SipTransport[] = [];
const blockers: (() => void)[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.close()));
  for (const b of blockers.splice(0)) b();
});

async function open(port: number, tlsPort = 0, tls?: { cert: string; key: string }) {
  const r = await listenLikeAPhone({ host: HOST, port, tlsPort, tls }, () => undefined);
  opened.push(...r.transports.values());
  return r.ports;
}

/** A port number whose UDP and TCP were free a moment ago (the kernel picked it). */
async function freePair(): Promise<number> {
  for (;;) {
    const p = await open(0);
    await Promise.all(opened.splice(0).map((t) => t.close()));
    if (p.udp! < 65000) return p.udp!;
  }
}

function holdUdp(port: number): Promise<void> {
  const s = createSocket('udp4');
  blockers.push(() => s.close());
  return new Promise((r) => s.bind(port, HOST, () => r()));
}

function holdTcp(port: number): Promise<void> {
  const s: Server = createServer();
  blockers.push(() => s.close());
  return new Promise((r) => s.listen(port, HOST, () => r()));
}

describe('SIP listens like a phone', () => {
  it('opens UDP and TCP on the same port; without a certificate no TLS listener, and says so', async () => {
    const p = await open(0);
    expect(p.udp).toBeGreaterThan(0);
    expect(p.tcp).toBe(p.udp);
    expect(p.tls).toBeNull();
    expect(p.bound).toBe(HOST);
    expect(p.notes).toEqual(['no TLS listener (no certificate configured)']);
  });

  it('a UDP port another program holds: UDP and TCP both move to the next free number', async () => {
    const want = await freePair();
    await holdUdp(want);
    const p = await open(want);
    expect([p.udp, p.tcp]).toEqual([want + 1, want + 1]);
    expect(p.notes[0]).toBe(`SIP port ${want} is taken by another program; listening on ${want + 1} instead`);
  });

  it('a TCP port another program holds moves UDP along with it', async () => {
    const want = await freePair();
    await holdTcp(want);
    const p = await open(want);
    expect([p.udp, p.tcp]).toEqual([want + 1, want + 1]);
  });

  it('a certificate OpenSSL refuses costs the TLS listener only, and says why', async () => {
    const p = await open(0, 0, { cert: '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n', key: 'no key' });
    expect([p.udp, p.tcp === p.udp, p.tls]).toEqual([expect.any(Number), true, null]);
    expect(p.notes[0]).toMatch(/^no TLS listener \(the certificate or key is not usable: /);
  });

  it('with a certificate and key, TLS listens and completes a handshake', async () => {
    const openssl = findPeer('openssl', 'openssl');
    if (!openssl) return;
    const certs = makeCertificates(openssl);
    try {
      const p = await open(0, 0, { cert: certs.clientCertPem, key: certs.clientKeyPem });
      expect(p.tls).toBeGreaterThan(0);
      expect(p.notes).toEqual([]);
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const s = connect({ host: HOST, port: p.tls!, ca: certs.caPem }, () => {
          resolve(s.authorized);
          s.destroy();
        });
        s.once('error', reject);
      });
      expect(authorized).toBe(true);
    } finally {
      rmSync(certs.dir, { recursive: true, force: true });
    }
  });
});
