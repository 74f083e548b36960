// A registered account calls an AOR through its server (issue 17): two Vouch cores register
// with Kamailio as sip:NAME@vouch.test, a domain the DNS (dnsmasq) says does not exist, so the
// call to sip:bob@vouch.test can only reach Bob through the registrar, which is the default
// outbound proxy: the INVITE goes to Kamailio with a pre-loaded loose Route (RFC 3261 §8.1.2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent } from '../../src/shared/api';
import { AppCore } from '../../src/main/core/app-core';
import type { SipMessage, SipUaOptions } from '../../src/main/sip';
import { Dnsmasq } from './dnsmasq/dnsmasq';
import { Kamailio, freeTcpPort } from './kamailio/kamailio';
import { freeUdpPort } from './sipp/sipp';
import { findPeer } from './peers';

const kamailio = findPeer('kamailio', 'kamailio kamailio-tls-modules');
const dnsmasq = findPeer('dnsmasq', 'dnsmasq-base');
const PASSWORD = 'correct horse';

describe.skipIf(!kamailio || !dnsmasq)('a registered account calls an AOR through its registrar (Kamailio)', () => {
  let k: Kamailio;
  let dns: Dnsmasq;
  let port = 0;
  const dirs: string[] = [];
  const cores: AppCore[] = [];

  beforeAll(async () => {
    port = await freeUdpPort();
    k = await Kamailio.start({ bin: kamailio!, udpPort: port, tcpPort: await freeTcpPort(), password: PASSWORD });
    dns = await Dnsmasq.start(dnsmasq!, { zones: ['vouch.test'] });
  });
  afterAll(async () => {
    await Promise.all(cores.map((c) => c.close()));
    await k?.stop();
    await dns?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function user(name: string): Promise<{ core: AppCore; events: ApiEvent[] }> {
    const dataDir = mkdtempSync(join(tmpdir(), `vouch-aor-${name}-`));
    dirs.push(dataDir);
    const core = new AppCore({
      dataDir,
      host: '127.0.0.1',
      sipPort: 0,
      io: { audioSource: { kind: 'tone', frequencyHz: 1000 }, audioSink: { kind: 'none' }, videoSource: { kind: 'ivf', path: 'assets/test-vp8.ivf' }, videoSink: { kind: 'none' }, audioCodecs: ['pcmu'] },
    });
    cores.push(core);
    const events: ApiEvent[] = [];
    core.onEvent((e) => events.push(e));
    await core.invoke('updateSettings', {
      patch: {
        autoAnswer: name === 'bob',
        dnsServers: [dns.server],
        account: { displayName: name, address: `sip:${name}@vouch.test`, username: name, password: PASSWORD, server: `127.0.0.1:${port}`, transport: 'udp', directIpOnly: false },
      },
    });
    const reg = await core.invoke('register', {});
    expect(reg.state).toBe('registered');
    return { core, events };
  }

  const until = async <T>(events: ApiEvent[], pick: (e: ApiEvent) => T | undefined, ms = 10_000): Promise<T> => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      for (const e of events) {
        const v = pick(e);
        if (v !== undefined) return v;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('timed out');
  };

  it('calls sip:bob@vouch.test: the INVITE goes to Kamailio with Route <sip:registrar;lr>, and ZRTP keys the call end to end', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    const sent: { message: SipMessage; port: number }[] = [];
    const ua = alice.core.calls.ua!;
    (ua.options as SipUaOptions).trace = (dir, message, peer) => void (dir === 'out' && sent.push({ message, port: peer.port }));
    const { callId } = await alice.core.invoke('call', { uri: 'sip:bob@vouch.test' });
    const a = await until(alice.events, (e) => (e.type === 'security' && e.security.state === 'secure' ? e.security : undefined));
    const b = await until(bob.events, (e) => (e.type === 'security' && e.security.state === 'secure' ? e.security : undefined));
    expect(a.sas).toBe(b.sas);
    const invites = sent.filter((s) => s.message.type === 'request' && s.message.method === 'INVITE');
    expect(invites.length).toBeGreaterThan(0);
    for (const inv of invites) {
      expect(inv.port).toBe(port);
      expect(inv.message.type === 'request' && inv.message.uri).toBe('sip:bob@vouch.test');
      expect(inv.message.headers.getAll('route')).toEqual([`<sip:127.0.0.1:${port};lr>`]);
    }
    const incoming = await until(bob.events, (e) => (e.type === 'callState' && e.call.direction === 'incoming' ? e.call : undefined));
    expect(incoming.remoteUri).toBe('sip:alice@vouch.test');
    await alice.core.invoke('hangup', { callId });
    const ended = await until(bob.events, (e) => (e.type === 'callState' && e.call.state === 'ended' ? e.call : undefined));
    expect(ended.endReason).toBe('remote-hangup');
  }, 30_000);
});
