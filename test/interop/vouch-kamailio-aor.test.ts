// A registered account calls an AOR through its server (issue 17): two Vouch cores register
// with Kamailio as sip:NAME@vouch.test, a domain the DNS (dnsmasq) says does not exist, so the
// call to sip:bob@vouch.test can only reach Bob through the registrar, which is the default
// outbound proxy: the INVITE goes to Kamailio with a pre-loaded loose Route (RFC 3261 §8.1.2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipMessage, SipUaOptions } from '../../src/main/sip';
import { Dnsmasq } from './dnsmasq/dnsmasq';
import { Kamailio } from './kamailio/kamailio';
import { VouchUsers, accountOf, until } from './kamailio/vouch-users';
import type { VouchUser } from './kamailio/vouch-users';
import { findPeer } from './peers';
import { callManagerOf } from '../../src/main/core/test-support';
import { peerPort } from './ports';

const kamailio = findPeer('kamailio', 'kamailio kamailio-tls-modules');
const dnsmasq = findPeer('dnsmasq', 'dnsmasq-base');
const PASSWORD = 'correct horse';

describe.skipIf(!kamailio || !dnsmasq)('a registered account calls an AOR through its registrar (Kamailio)', () => {
  let k: Kamailio;
  let dns: Dnsmasq;
  let port = 0;
  const users = new VouchUsers();

  beforeAll(async () => {
    port = await peerPort();
    k = await Kamailio.start({ bin: kamailio!, udpPort: port, tcpPort: await peerPort(), password: PASSWORD });
    dns = await Dnsmasq.start(dnsmasq!, { zones: ['vouch.test'] });
  });
  afterAll(async () => {
    await users.close();
    await k?.stop();
    await dns?.stop();
  });

  const user = (name: string): Promise<VouchUser> =>
    users.addRegistered(`vouch-aor-${name}-`, {
      autoAnswer: name === 'bob',
      dnsServers: [dns.server],
      account: accountOf(name, 'vouch.test', `127.0.0.1:${port}`, PASSWORD),
    });

  it('calls sip:bob@vouch.test: the INVITE goes to Kamailio with Route <sip:registrar;lr>, and ZRTP keys the call end to end', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    const sent: { message: SipMessage; port: number }[] = [];
    const ua = callManagerOf(alice.core).ua!;
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
