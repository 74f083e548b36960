// A TLS account through AppCore with Kamailio's TLS module (issue 16): the registrar's certificate
// is verified against Node's roots plus the CA the user trusts (account.trustedCaPem), the name
// dialled is checked against it, and a failed check reads as a sentence the user can act on.
// Kamailio sends its certificate with the throwaway CA in the chain, as a private server does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeepPartial, Settings } from '../../src/shared/api';
import { Dnsmasq } from './dnsmasq/dnsmasq';
import { Kamailio, makeCertificates, makeServerLeaf } from './kamailio/kamailio';
import type { Certificates } from './kamailio/kamailio';
import { VouchUsers, accountOf, until } from './kamailio/vouch-users';
import type { VouchUser } from './kamailio/vouch-users';
import { findPeer } from './peers';
import { peerPort } from './ports';

const kamailio = findPeer('kamailio', 'kamailio kamailio-tls-modules');
const openssl = findPeer('openssl', 'openssl');
const dnsmasq = findPeer('dnsmasq', 'dnsmasq-base');
const PASSWORD = 'correct horse';
const UNTRUSTED = "The server's certificate is not trusted (self-signed). Trust it in Settings or with --trust-ca FILE";

describe.skipIf(!kamailio || !openssl)('TLS account through Kamailio (AppCore)', () => {
  let certs: Certificates;
  const servers: Kamailio[] = [];
  const ports = { udp: 0, tls: 0, wrongNameTls: 0 };
  const dirs: string[] = [];
  const users = new VouchUsers();

  async function startKamailio(cert: string, key: string): Promise<{ udp: number; tls: number }> {
    const p = { udp: await peerPort(), tls: await peerPort() };
    servers.push(await Kamailio.start({ bin: kamailio!, udpPort: p.udp, tcpPort: await peerPort(), tlsPort: p.tls, tlsCert: cert, tlsKey: key, password: PASSWORD }));
    return p;
  }

  beforeAll(async () => {
    certs = makeCertificates(openssl!);
    const good = await startKamailio(certs.serverChain, certs.serverKey);
    ports.udp = good.udp;
    ports.tls = good.tls;
    // A server known by name only: its certificate names pbx.vouch.test, not its address.
    const named = makeServerLeaf(openssl!, certs, 'pbx', 'DNS:pbx.vouch.test');
    ports.wrongNameTls = (await startKamailio(named.cert, named.key)).tls;
  }, 30_000);
  afterAll(async () => {
    await users.close();
    await Promise.all(servers.map((k) => k.stop()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  const user = (name: string, account: DeepPartial<Settings['account']>): Promise<VouchUser> =>
    users.add(`vouch-kamtls-${name}-`, { autoAnswer: true, account: { ...accountOf(name, '127.0.0.1', `127.0.0.1:${ports.tls}`, PASSWORD, 'tls'), ...account } });

  it('registers over TLS when the user trusts the server CA (account.trustedCaPem), and calls through it', async () => {
    const alice = await user('alice', { trustedCaPem: certs.caPem });
    expect(await alice.core.invoke('register', {})).toMatchObject({ state: 'registered' });
    // Bob registers over UDP; Alice's INVITE goes to Kamailio on her TLS connection.
    const bob = await user('bob', { server: `127.0.0.1:${ports.udp}`, transport: 'udp' });
    expect(await bob.core.invoke('register', {})).toMatchObject({ state: 'registered' });
    const { callId } = await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${ports.tls};transport=tls` });
    const a = await until(alice.events, (e) => (e.type === 'security' && e.security.state === 'sas-ready' ? e.security : undefined));
    const b = await until(bob.events, (e) => (e.type === 'security' && e.security.state === 'sas-ready' ? e.security : undefined));
    expect(a.sas).toBe(b.sas);
    await alice.core.invoke('hangup', { callId });
    expect(await until(bob.events, (e) => (e.type === 'callState' && e.call.state === 'ended' ? e.call.endReason : undefined))).toBe('remote-hangup');
  }, 30_000);

  it('refuses the server without the user trusting its CA, and says how to trust it', async () => {
    const eve = await user('eve', {});
    await expect(eve.core.invoke('register', {})).rejects.toThrow(UNTRUSTED);
    const failed = await until(eve.events, (e) => (e.type === 'registration' && e.registration.state === 'failed' ? e.registration : undefined));
    expect(failed.reason).toBe(UNTRUSTED);
    expect(servers[0].output).not.toContain('eve');
  });

  /** `vouch listen` over TLS to Kamailio until it says how registration went; then it is ended. */
  async function cliRegistration(extra: string[]): Promise<Record<string, unknown>> {
    const dataDir = mkdtempSync(join(tmpdir(), 'vouch-kamtls-cli-'));
    dirs.push(dataDir);
    const args = ['--import', 'tsx', 'src/main/cli-entry.ts', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0', 'listen'];
    args.push('--account', 'sip:dave@127.0.0.1', '--server', `127.0.0.1:${ports.tls}`, '--transport', 'tls', ...extra);
    const child = spawn(process.execPath, args, { env: { ...process.env, VOUCH_PASSWORD: PASSWORD }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    try {
      return await new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no registration outcome in 40 s: ${out}`)), 40_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /\{"event":"registration","state":"(registered|failed)".*\}/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(JSON.parse(m[0]) as Record<string, unknown>);
          }
        });
        child.once('exit', () => reject(new Error(`vouch exited: ${out}`)));
      });
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    }
  }

  it('the CLI registers over TLS with --trust-ca FILE, and without it says how to trust the server', async () => {
    const caFile = join(certs.dir, 'trusted-ca.pem');
    writeFileSync(caFile, certs.caPem);
    const [trusted, untrusted] = await Promise.all([cliRegistration(['--trust-ca', caFile]), cliRegistration([])]);
    expect(trusted).toMatchObject({ state: 'registered' });
    expect(untrusted).toMatchObject({ state: 'failed', reason: UNTRUSTED });
  }, 60_000);

  it('refuses a trusted CA\'s certificate issued for another name', async () => {
    const carol = await user('carol', { trustedCaPem: certs.caPem, server: `127.0.0.1:${ports.wrongNameTls}` });
    await expect(carol.core.invoke('register', {})).rejects.toThrow("The server's certificate is for pbx.vouch.test, not 127.0.0.1");
  });

  it.skipIf(!dnsmasq)('checks the name the user gave, not the address DNS gave for it (RFC 5922 §4)', async () => {
    const dns = await Dnsmasq.start(dnsmasq!, { zones: ['vouch.test'], hosts: [{ name: 'pbx.vouch.test', addresses: ['127.0.0.1'] }] });
    try {
      const frank = await user('frank', { trustedCaPem: certs.caPem, address: 'sip:frank@vouch.test', server: `pbx.vouch.test:${ports.wrongNameTls}` });
      await frank.core.invoke('updateSettings', { patch: { dnsServers: [dns.server] } });
      expect(await frank.core.invoke('register', {})).toMatchObject({ state: 'registered' });
    } finally {
      await dns.stop();
    }
  }, 30_000);
});
