// Calling by name (issue 17): Alice's settings point her DNS at a real server (dnsmasq on
// 127.0.0.1) whose NAPTR and SRV records name Bob; the first SRV target answers 503, so the
// INVITE goes on to the second (RFC 3263 §4.3), Bob. ZRTP keys the call; both show one SAS.
import { createSocket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/main/sip';
import { Dnsmasq } from './dnsmasq/dnsmasq';
import { findPeer } from './peers';
import { startVouch } from './vouch-peer';
import type { VouchPeer } from './vouch-peer';

const dnsmasq = findPeer('dnsmasq', 'dnsmasq-base');

describe.skipIf(!dnsmasq)('Vouch calls sip:bob@NAME through NAPTR and SRV (dnsmasq)', () => {
  const peers: VouchPeer[] = [];
  const stops: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.close()));
    for (const s of stops) await s();
  });

  it('resolves the name, skips the server that answers 503, and the call is secure with one SAS', async () => {
    // A server that is "overloaded": 503 to every INVITE (it never sees the ACK's match, it need not).
    const busy = createSocket('udp4');
    await new Promise<void>((r) => busy.bind(0, '127.0.0.1', () => r()));
    stops.push(() => new Promise<void>((r) => busy.close(() => r())));
    let busyInvites = 0;
    busy.on('message', (data, rinfo) => {
      const p = parseMessage(data);
      if (!p.ok || p.message.type !== 'request' || p.message.method !== 'INVITE') return;
      busyInvites++;
      const h = p.message.headers;
      const res = ['SIP/2.0 503 Service Unavailable', ...h.getAll('via').map((v) => `Via: ${v}`), `From: ${h.get('from')}`, `To: ${h.get('to')};tag=busy`, `Call-ID: ${h.get('call-id')}`, `CSeq: ${h.get('cseq')}`, 'Content-Length: 0', '', ''].join('\r\n');
      busy.send(res, rinfo.port, rinfo.address);
    });
    const bob = await startVouch({ autoAnswer: true });
    peers.push(bob);
    const dns = await Dnsmasq.start(dnsmasq!, {
      zones: ['vouch.test'],
      naptr: [{ name: 'bob.vouch.test', order: 10, preference: 10, flags: 's', service: 'SIP+D2U', replacement: '_sip._udp.bob.vouch.test' }],
      srv: [
        { name: '_sip._udp.bob.vouch.test', target: 'busy.vouch.test', port: busy.address().port, priority: 10, weight: 0 },
        { name: '_sip._udp.bob.vouch.test', target: 'phone.vouch.test', port: bob.sipPort, priority: 20, weight: 0 },
      ],
      hosts: [
        { name: 'busy.vouch.test', addresses: ['127.0.0.1'] },
        { name: 'phone.vouch.test', addresses: ['127.0.0.1'] },
      ],
    });
    stops.push(() => dns.stop());
    const alice = await startVouch({});
    peers.push(alice);
    await alice.core.invoke('updateSettings', { patch: { dnsServers: [dns.server] } });
    await alice.core.invoke('call', { uri: 'sip:bob@bob.vouch.test' });
    const a = await alice.until((e) => (e.type === 'security' && e.security.state === 'secure' ? e.security : undefined), 15_000);
    const b = await bob.until((e) => (e.type === 'security' && e.security.state === 'secure' ? e.security : undefined), 15_000);
    expect(a.sas).toBe(b.sas);
    expect(busyInvites).toBeGreaterThan(0);
  }, 30_000);
});
