// Where the UA sends out-of-dialog requests (outgoing.ts, ../routing.ts): RFC 3263 failover
// between the servers a real DNS server (dnsmasq) names, and the outbound proxy's pre-loaded
// loose route (RFC 3261 §8.1.2).
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { Dnsmasq } from '../../../../test/interop/dnsmasq/dnsmasq';
import { findPeer } from '../../../../test/interop/peers';
import { parseMessage } from '../parser';
import type { SipRequest } from '../message';
import type { SipBody, SipSession } from '../session';
import { SipUa } from './user-agent';
import type { SipUaOptions } from './options';

const dnsmasq = findPeer('dnsmasq', 'dnsmasq-base');
const FAST: SipUaOptions['timers'] = { t1: 20, t2: 160, t4: 200, timerD: 200 };
const offer: SipBody = { contentType: 'application/sdp', body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n' };
const cleanup: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function ua(user: string, extra: Partial<SipUaOptions> = {}): Promise<SipUa> {
  const u = await SipUa.start({ user, host: '127.0.0.1', timers: FAST, ...extra });
  cleanup.push(() => u.close());
  return u;
}

/** A UDP socket on 127.0.0.1 that records the requests it gets and answers with `status` (or not at all). */
async function server(status?: number): Promise<{ port: number; requests: SipRequest[]; sock: Socket }> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const requests: SipRequest[] = [];
  sock.on('message', (data, rinfo) => {
    const p = parseMessage(data);
    if (!p.ok || p.message.type !== 'request') return;
    requests.push(p.message);
    if (status === undefined || p.message.method === 'ACK') return;
    const h = p.message.headers;
    const res = [`SIP/2.0 ${status} Unavailable`, ...h.getAll('via').map((v) => `Via: ${v}`), `From: ${h.get('from')}`, `To: ${h.get('to')};tag=srv`, `Call-ID: ${h.get('call-id')}`, `CSeq: ${h.get('cseq')}`, 'Content-Length: 0', '', ''].join('\r\n');
    sock.send(res, rinfo.port, rinfo.address);
  });
  cleanup.push(() => new Promise<void>((r) => sock.close(() => r())));
  return { port: sock.address().port, requests, sock };
}

const branch = (r: SipRequest): string => /branch=([^;]+)/.exec(r.headers.getAll('via')[0] ?? '')?.[1] ?? '';
const nextIncoming = (u: SipUa): Promise<SipSession> => new Promise((r) => u.once('incoming', r));

async function zone(srv: { port: number; priority: number }[]): Promise<Dnsmasq> {
  const d = await Dnsmasq.start(dnsmasq!, {
    zones: ['vouch.test'],
    srv: srv.map((s, i) => ({ name: '_sip._udp.pbx.vouch.test', target: `s${i}.vouch.test`, port: s.port, priority: s.priority, weight: 0 })),
    hosts: srv.map((_, i) => ({ name: `s${i}.vouch.test`, addresses: ['127.0.0.1'] })),
  });
  cleanup.push(() => d.stop());
  return d;
}

describe.skipIf(!dnsmasq)('RFC 3263 §4.3 failover', () => {
  it('the first SRV target is silent: after Timer B the INVITE goes to the second, with a new branch', async () => {
    const dead = await server();
    const seen: SipRequest[] = [];
    const bob = await ua('bob', { trace: (dir, m) => void (dir === 'in' && m.type === 'request' && seen.push(m)) });
    const dns = await zone([
      { port: dead.port, priority: 10 },
      { port: bob.localAddress('UDP')!.port, priority: 20 },
    ]);
    const alice = await ua('alice', { dnsServers: [dns.server] });
    const incoming = nextIncoming(bob);
    const t0 = Date.now();
    const out = alice.invite('sip:bob@pbx.vouch.test', offer);
    const inc = await incoming;
    // Timer B is 64*T1 = 1.28 s with these timers.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(64 * 20 - 50);
    expect(dead.requests.length).toBeGreaterThan(1); // Timer A retransmissions to the dead one
    expect(dead.requests.every((r) => r.method === 'INVITE')).toBe(true);
    expect(branch(dead.requests[0])).not.toBe(branch(seen[0]));
    expect(seen[0].uri).toBe('sip:bob@pbx.vouch.test');
    inc.accept(offer);
    await out.answered;
    expect(out.state).toBe('established');
  });

  it('a 503 from the first server sends the request on to the next one at once', async () => {
    const busy = await server(503);
    const bob = await ua('bob');
    const dns = await zone([
      { port: busy.port, priority: 10 },
      { port: bob.localAddress('UDP')!.port, priority: 20 },
    ]);
    const alice = await ua('alice', { dnsServers: [dns.server] });
    const incoming = nextIncoming(bob);
    const t0 = Date.now();
    alice.invite('sip:bob@pbx.vouch.test', offer);
    await incoming;
    expect(Date.now() - t0).toBeLessThan(1000);
    // Retransmissions (T1 is 20 ms here) may reach it before its 503 comes back: one transaction.
    expect(busy.requests[0].method).toBe('INVITE');
    expect(busy.requests.some((r) => r.method === 'ACK')).toBe(true);
    expect(new Set(busy.requests.map(branch)).size).toBe(1);
  });

  it('every server failing ends the call with the last failure; a name without records with 503', async () => {
    const busy1 = await server(503);
    const busy2 = await server(503);
    const dns = await zone([
      { port: busy1.port, priority: 10 },
      { port: busy2.port, priority: 20 },
    ]);
    const alice = await ua('alice', { dnsServers: [dns.server] });
    await expect(alice.invite('sip:bob@pbx.vouch.test', offer).answered).rejects.toMatchObject({ status: 503 });
    expect(busy1.requests[0]?.method).toBe('INVITE');
    expect(busy2.requests[0]?.method).toBe('INVITE');
    const none = alice.invite('sip:bob@missing.vouch.test', offer);
    await expect(none.answered).rejects.toMatchObject({ status: 503, message: expect.stringContaining('missing.vouch.test') });
  });
});

describe.skipIf(!dnsmasq)('RFC 3263 failover for REGISTER', () => {
  it('a silent first registrar: the REGISTER goes to the next SRV target and the account registers there', async () => {
    const dead = await server();
    const live = await server(200);
    const dns = await zone([
      { port: dead.port, priority: 10 },
      { port: live.port, priority: 20 },
    ]);
    const alice = await ua('alice', { dnsServers: [dns.server], registrar: 'sip:pbx.vouch.test', keepAliveSeconds: 0, networkPoll: false });
    expect(alice.registration?.expires).toBeGreaterThan(0);
    expect(alice.registration?.dest).toEqual({ protocol: 'UDP', host: '127.0.0.1', port: live.port });
    expect(dead.requests[0]?.method).toBe('REGISTER');
    expect(live.requests[0]?.method).toBe('REGISTER');
  });
});

describe('outbound proxy', () => {
  it('an INVITE to an AOR goes to the proxy with a pre-loaded loose Route; the Request-URI stays the AOR', async () => {
    const proxy = await server(404);
    const alice = await ua('alice', { outboundProxy: `sip:127.0.0.1:${proxy.port};lr` });
    await expect(alice.invite('sip:bob@example.invalid', offer).answered).rejects.toMatchObject({ status: 404 });
    const inv = proxy.requests[0];
    expect(inv.method).toBe('INVITE');
    expect(inv.uri).toBe('sip:bob@example.invalid');
    expect(inv.headers.getAll('route')).toEqual([`<sip:127.0.0.1:${proxy.port};lr>`]);
  });

  it('OPTIONS and MESSAGE outside a dialog take the same way: to the proxy, with the Route', async () => {
    const proxy = await server(200);
    const alice = await ua('alice', { outboundProxy: `sip:127.0.0.1:${proxy.port}` });
    expect((await alice.request('OPTIONS', 'sip:bob@example.invalid')).status).toBe(200);
    expect((await alice.request('MESSAGE', 'sip:bob@example.invalid', { contentType: 'text/plain', body: 'hi' })).status).toBe(200);
    const firsts = [...new Map(proxy.requests.map((r) => [r.headers.get('call-id'), r])).values()];
    expect(firsts.map((r) => r.method)).toEqual(['OPTIONS', 'MESSAGE']);
    for (const r of firsts) expect(r.headers.getAll('route')).toEqual([`<sip:127.0.0.1:${proxy.port};lr>`]);
    expect(firsts[1].body).toBe('hi');
  });

  it('without a proxy the INVITE goes straight to the URI host and carries no Route', async () => {
    const peer = await server(486);
    const alice = await ua('alice');
    await expect(alice.invite(`sip:bob@127.0.0.1:${peer.port}`, offer).answered).rejects.toMatchObject({ status: 486 });
    expect(peer.requests[0].headers.getAll('route')).toEqual([]);
  });
});
