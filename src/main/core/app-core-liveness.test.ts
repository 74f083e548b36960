// Media liveness through AppCore (issue 16): with a 3 s media timeout, a call on hold or muted on
// both sides carries no RTP in at least one direction for far longer than the timeout, and stays
// up, because RTCP keeps flowing and counts as life. (The vanished peer that must end is in
// test/interop/vanished-peer.hostile.test.ts.)
import { describe, it, expect, afterEach } from 'vitest';
import type { ApiEvent } from '../../shared/api';
import { VouchPeers, type VouchPeer } from '../../../test/interop/vouch-peer';
import { callWhere, securityWhere } from '../../../test/interop/vouch-events';

const TIMEOUT_S = 3;
/** Long enough that a missed RTCP-as-life would have ended the call twice over. */
const QUIET_MS = 2 * TIMEOUT_S * 1000;

const peers = new VouchPeers();
afterEach(() => peers.closeAll());

async function securedCall(): Promise<{ alice: VouchPeer; bob: VouchPeer; aliceCall: number; bobCall: number }> {
  const alice = await peers.start({ autoAnswer: false });
  const bob = await peers.start({ autoAnswer: true });
  for (const p of [alice, bob]) await p.core.invoke('updateSettings', { patch: { mediaTimeoutSeconds: TIMEOUT_S } });
  const { callId } = await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${bob.sipPort}` });
  await alice.until(securityWhere((s) => s.state === 'secure'));
  const b = await bob.until(securityWhere((s) => s.state === 'secure'));
  // Media both ways before the quiet part starts.
  await alice.until((e) => (e.type === 'stats' && e.stats.streams.some((s) => s.stream === 'audio' && s.packetsReceived > 20) ? e : undefined));
  return { alice, bob, aliceCall: callId, bobCall: b.callId };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * Waits for the second stats report after event `from` (reports come once a second): by then the
 * counters hold every packet sent before that point, whichever report was already under way.
 */
async function secondStatsSince(p: VouchPeer, from: number): Promise<void> {
  const end = Date.now() + 5000;
  while (p.events.slice(from).filter((e) => e.type === 'stats').length < 2) {
    if (Date.now() > end) throw new Error('no second stats report within 5 s');
    await sleep(20);
  }
}
const audioReceived = (p: VouchPeer) => p.lastStats('audio')?.packetsReceived ?? 0;
const troubles = (p: VouchPeer, from: number) =>
  p.events.slice(from).filter((e: ApiEvent) => e.type === 'callState' && (e.call.state === 'ended' || e.call.reconnecting));

describe('media liveness (AppCore, loopback, 3 s media timeout)', () => {
  it('a call on hold longer than the timeout is not ended: RTCP alone keeps it alive', async () => {
    const { alice, bob, aliceCall, bobCall } = await securedCall();
    await alice.core.invoke('hold', { callId: aliceCall, on: true });
    await bob.until(callWhere((c) => c.remoteHeld));
    const [fromA, fromB] = [alice.events.length, bob.events.length];
    // The held side (bob, recvonly) sends no RTP: alice hears only bob's RTCP. From the second
    // stats report on, the count includes every packet bob sent before the hold.
    await secondStatsSince(alice, fromA);
    const before = audioReceived(alice);
    await sleep(QUIET_MS);
    expect(audioReceived(alice)).toBe(before);
    expect(troubles(alice, fromA)).toEqual([]);
    expect(troubles(bob, fromB)).toEqual([]);
    await alice.core.invoke('hold', { callId: aliceCall, on: false });
    await bob.until(callWhere((c) => !c.remoteHeld && c.state === 'connected'));
    await bob.core.invoke('hangup', { callId: bobCall });
    const ended = await alice.until(callWhere((c) => c.callId === aliceCall && c.state === 'ended'));
    expect(ended.endReason).toBe('remote-hangup');
  }, 60_000);

  it('a call muted on both sides (no RTP either way) is not ended', async () => {
    const { alice, bob, aliceCall, bobCall } = await securedCall();
    await alice.core.invoke('mute', { callId: aliceCall, on: true });
    await bob.core.invoke('mute', { callId: bobCall, on: true });
    const [fromA, fromB] = [alice.events.length, bob.events.length];
    await Promise.all([secondStatsSince(alice, fromA), secondStatsSince(bob, fromB)]);
    const before = [audioReceived(alice), audioReceived(bob)];
    await sleep(QUIET_MS);
    expect([audioReceived(alice), audioReceived(bob)]).toEqual(before);
    expect(troubles(alice, fromA)).toEqual([]);
    expect(troubles(bob, fromB)).toEqual([]);
    await alice.core.invoke('hangup', { callId: aliceCall });
    const ended = await bob.until(callWhere((c) => c.callId === bobCall && c.state === 'ended'));
    expect(ended.endReason).toBe('remote-hangup');
  }, 60_000);
});
