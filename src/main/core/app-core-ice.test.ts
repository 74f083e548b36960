// ICE as front ends see it: AppCore resolves the STUN/TURN servers of the settings, reports the
// path a call's media takes ('path' events, CallInfo.path) and says in words why a TURN server
// failed (an 'ice' error with its reason). Loopback only: both peers pinned to 127.0.0.1, so
// the host candidates are that address alone; coturn on 127.0.0.1 refuses a wrong password.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api';
import { startCoturn, type Coturn } from '../../../test/interop/coturn';
import { findPeer } from '../../../test/interop/peers';
import { VouchPeers } from '../../../test/interop/vouch-peer';
import { callWhere, securityWhere } from '../../../test/interop/vouch-events';
import { peerPort } from '../../../test/interop/ports';
import { callManagerOf } from './test-support';

const turnserver = findPeer('turnserver', 'coturn');
const peers = new VouchPeers();
afterEach(() => peers.closeAll());

/** A port nobody listens on: a peer port (test/interop/ports.ts) is handed to no other socket. */
const closedUdpPort = peerPort;

const pathEvent = (e: ApiEvent) => (e.type === 'path' ? e : undefined);
const iceError = (e: ApiEvent) => (e.type === 'error' && e.scope === 'ice' ? e : undefined);

describe('ICE on a loopback call (AppCore)', () => {
  it('reports the direct path of the audio stream with its RTT, in the event and in CallInfo', async () => {
    const alice = await peers.start({});
    const bob = await peers.start({ autoAnswer: true });
    const { callId } = await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${bob.sipPort}` });
    const path = await alice.until(pathEvent);
    expect(path).toMatchObject({ type: 'path', callId, stream: 'audio', kind: 'host', });
    expect(path.local).toMatch(/^host 127\.0\.0\.1:\d+$/);
    expect(path.remote).toMatch(/^host 127\.0\.0\.1:\d+$/);
    expect(path.rttMs).toBeGreaterThanOrEqual(0);
    await alice.until(securityWhere((s) => s.state === 'secure'));
    const last = alice.events.filter((e) => e.type === 'path' && e.stream === 'audio').at(-1)!;
    expect(alice.core.snapshot().calls[0].path).toEqual({ kind: 'host', rttMs: last.type === 'path' ? last.rttMs : -1 });
    expect(alice.events.filter((e) => e.type === 'error')).toEqual([]);
  }, 20_000);

  it('ICE off: no path events, and the call is secured as before', async () => {
    const alice = await peers.start({});
    const bob = await peers.start({ autoAnswer: true });
    await alice.core.invoke('updateSettings', { patch: { ice: { enabled: false } } });
    await bob.core.invoke('updateSettings', { patch: { ice: { enabled: false } } });
    await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${bob.sipPort}` });
    await alice.until(securityWhere((s) => s.state === 'secure'));
    expect(alice.events.filter((e) => e.type === 'path')).toEqual([]);
    expect(alice.core.snapshot().calls[0].path).toBeUndefined();
  }, 20_000);

  it('a name that does not resolve is named as an ICE problem, and the call goes on without it', async () => {
    const alice = await peers.start({});
    const bob = await peers.start({ autoAnswer: true });
    // The only DNS server is a closed port on 127.0.0.1: the name fails at once, and no query leaves the host.
    await alice.core.invoke('updateSettings', { patch: { dnsServers: [`127.0.0.1:${await closedUdpPort()}`], ice: { stunServers: ['stun.vouch.invalid'] } } });
    await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${bob.sipPort}` });
    const problem = await alice.until(iceError, 15_000);
    expect(problem.message).toMatch(/^STUN server stun\.vouch\.invalid: .*; calls go on without it$/);
    expect(problem.reason).toBeUndefined();
    await alice.until(callWhere((c) => c.state === 'connected'), 15_000);
  }, 30_000);
});

describe.skipIf(!turnserver)('a TURN server that refuses the password (coturn)', () => {
  let coturn: Coturn;
  beforeAll(async () => {
    coturn = await startCoturn(turnserver!, ['--lt-cred-mech', '--user', 'alice:right', '--realm', 'vouch.test']);
  });
  afterAll(() => coturn?.stop());

  it("is said once, as an 'ice' error with reason turn-auth, and the call stays up on its direct path", async () => {
    const alice = await peers.start({});
    const bob = await peers.start({ autoAnswer: true });
    await alice.core.invoke('updateSettings', { patch: { ice: { turnServers: [{ server: `127.0.0.1:${coturn.port}`, username: 'alice', password: 'wrong' }] } } });
    const { callId } = await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${bob.sipPort}` });
    const failed = await alice.until(iceError, 15_000);
    expect(failed).toEqual({ type: 'error', scope: 'ice', callId, reason: 'turn-auth', message: 'the TURN server refused the user name or password', code: 'network' });
    await alice.until(securityWhere((s) => s.state === 'secure'), 15_000);
    expect(alice.core.snapshot().calls[0]).toMatchObject({ state: 'connected', path: { kind: 'host' } });
    expect(alice.events.filter((e) => e.type === 'error' && e.reason === 'turn-auth')).toHaveLength(1);
  }, 30_000);
});

describe('ICE restart (RFC 8445 §9) when the network changes under a call', () => {
  it('re-offers new credentials and candidates, both sides restart, a new pair is selected, and the call stays secure with audio flowing', async () => {
    const alice = await peers.start({});
    const bob = await peers.start({ autoAnswer: true });
    await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${bob.sipPort}` });
    await alice.until(securityWhere((s) => s.state === 'secure'));
    const sas = alice.core.snapshot().security[0]?.sas;
    const before = { alice: alice.events.filter((e) => e.type === 'path').length, bob: bob.events.filter((e) => e.type === 'path').length };
    // What the registration's network watch emits when an interface address appears or goes.
    callManagerOf(alice.core).ua?.emit('networkChanged');
    await expect.poll(() => alice.events.filter((e) => e.type === 'path').length, { timeout: 5000 }).toBeGreaterThan(before.alice);
    await expect.poll(() => bob.events.filter((e) => e.type === 'path').length, { timeout: 5000 }).toBeGreaterThan(before.bob);
    const received = () => (bob.events.filter((e) => e.type === 'stats').at(-1) as Extract<ApiEvent, { type: 'stats' }> | undefined)?.stats.streams.find((s) => s.stream === 'audio')?.packetsReceived ?? 0;
    const n = received();
    await expect.poll(received, { timeout: 4000 }).toBeGreaterThan(n + 20);
    expect(alice.core.snapshot().security[0]?.state).toBe('secure');
    expect(alice.core.snapshot().security[0]?.sas).toBe(sas);
    expect(alice.events.filter((e) => e.type === 'error')).toEqual([]);
    expect(bob.events.filter((e) => e.type === 'error')).toEqual([]);
  }, 30_000);
});
