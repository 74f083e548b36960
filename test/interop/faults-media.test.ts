// Network faults on the media path (issue 9): two Vouch AppCores whose media crosses an impairing
// UDP relay (the proxy rewrites every offer's and answer's m= ports to it). With 10 % loss,
// reordering, duplication, 100 ms jitter and a 2 s outage the call survives and audio and video
// recover (video by a keyframe Bob asks for with PLI); the stats show the loss. ZRTP completes under 20 % loss.
import { describe, it, expect, afterEach } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { HostileProxy } from './hostile-proxy';
import { UdpRelay } from './udp-relay';
import type { Impairment } from './udp-relay';
import { VouchPeers } from './vouch-peer';
import { callWhere, securityWhere, streamStats } from './vouch-events';
import type { VouchPeer } from './vouch-peer';

const peers = new VouchPeers();
let proxy: HostileProxy | undefined;
let relay: UdpRelay | undefined;
let zrtpLost = 0;
/** RTCP feedback compounds seen going to Alice (the caller, relay side A). */
let feedbackToAlice = 0;
afterEach(async () => {
  await peers.closeAll();
  await proxy?.close();
  await relay?.close();
  proxy = relay = undefined;
  zrtpLost = 0;
  feedbackToAlice = 0;
});

async function callThroughRelay(seed: number, impairment: Partial<Impairment>): Promise<{ alice: VouchPeer; bob: VouchPeer; aliceCallId: number; bobCallId: number; securedMs: number }> {
  // No ICE: the proxy rewrites m= ports to the relay, which ICE's host pair would go around.
  const alice = await peers.start({ autoAnswer: false, ice: false });
  const bob = await peers.start({ autoAnswer: true, ice: false });
  relay = new UdpRelay({ seed, impairment });
  // Beyond the random loss, the first Hello each way and the first Commit are always lost, so
  // the handshake needs its retransmissions (RFC 6189 §6) every run.
  const firstSeen = new Set<string>();
  relay.forceDrop = (d, toward) => {
    if (toward === 'A' && isFeedbackCompound(d)) feedbackToAlice++;
    const type = zrtpMessageType(d);
    if (type !== 'Hello   ' && type !== 'Commit  ') return false;
    const key = `${type}${d.readUInt32BE(8)}`;
    if (firstSeen.has(type === 'Hello   ' ? key : type)) return false;
    firstSeen.add(type === 'Hello   ' ? key : type);
    zrtpLost++;
    return true;
  };
  proxy = await HostileProxy.start({ calleePort: bob.sipPort, relay });
  const t0 = performance.now();
  const { callId } = await alice.core.invoke('call', { uri: proxy.uriFor('bob') });
  const a = await alice.until(securityWhere((s) => s.state === 'secure'), 15_000);
  const b = await bob.until(securityWhere((s) => s.state === 'secure'), 15_000);
  expect(a.sas).toBe(b.sas);
  return { alice, bob, aliceCallId: callId, bobCallId: b.callId, securedMs: Math.round(performance.now() - t0) };
}

/** RFC 6189 §5: a ZRTP packet starts 0x10, has "ZRTP" at bytes 4..7 (the SSRC at 8..11), then
 * the message: preamble 0x505a, length, and an 8-character type block. */
function zrtpMessageType(d: Buffer): string | undefined {
  if (d.length < 24 || d[0] !== 0x10 || d.toString('latin1', 4, 8) !== 'ZRTP' || d.readUInt16BE(12) !== 0x505a) return undefined;
  return d.toString('latin1', 16, 24);
}

/**
 * Vouch sends RTCP feedback (RFC 4585 §3.1) in a compound that starts with an empty receiver
 * report (RC 0, PT 201, length 1), the part SRTCP leaves in clear; its regular reports, sent
 * while it sends media, start with a sender report (PT 200).
 */
function isFeedbackCompound(d: Buffer): boolean {
  return d.length >= 8 && d[0] === 0x80 && d[1] === 201 && d.readUInt16BE(2) === 1;
}

/** Waits for a stats report (after event index `from`) whose stream received more than `than` packets. */
function receivedMore(peer: VouchPeer, stream: 'audio' | 'video', than: number, from: number, ms: number) {
  return peer.until(streamStats(stream, (s) => s.packetsReceived > than), ms, from);
}

function ivfBytes(peer: VouchPeer): number {
  try {
    return statSync(join(peer.dataDir, 'received.ivf')).size;
  } catch {
    return 0;
  }
}

describe('media through an impairing relay', () => {
  it('survives 10 % loss, reordering, duplication, 100 ms jitter and a 2 s outage; audio and video recover; stats show the loss', async () => {
    const { alice, bob, aliceCallId, bobCallId } = await callThroughRelay(0x5eed, { loss: 0.1, reorder: 0.05, duplicate: 0.03, jitterMs: 100 });
    await alice.core.invoke('addVideo', { callId: aliceCallId });
    await alice.until(securityWhere((s) => s.perStream.video?.state === 'secure'), 10_000);
    await bob.until(securityWhere((s) => s.perStream.video?.state === 'secure'), 10_000);
    await bob.until(streamStats('video', (s) => s.packetsReceived > 20), 6000);
    const r = relay!;
    expect(r.counters.lost).toBeGreaterThan(0);
    expect(r.counters.duplicated).toBeGreaterThan(0);
    expect(r.counters.reordered).toBeGreaterThan(0);

    r.outage(2000);
    const outageStart = Date.now();
    // Let the stats taken during the outage arrive, then note where the counts stood.
    await new Promise((res) => setTimeout(res, 2000));
    const from = { alice: alice.events.length, bob: bob.events.length };
    const audioAtEnd = { alice: alice.lastStats('audio')!.packetsReceived, bob: bob.lastStats('audio')!.packetsReceived };
    const videoAtEnd = bob.lastStats('video')!.packetsReceived;
    const ivfAtEnd = ivfBytes(bob);
    const feedbackBeforeOutageEnd = feedbackToAlice;
    expect(r.counters.outage).toBeGreaterThan(0);
    expect(Date.now() - outageStart).toBeGreaterThanOrEqual(2000);

    // Recovery: both ways for audio, Alice -> Bob for video (frames written by Bob's IVF sink).
    await receivedMore(alice, 'audio', audioAtEnd.alice + 25, from.alice, 5000);
    await receivedMore(bob, 'audio', audioAtEnd.bob + 25, from.bob, 5000);
    await receivedMore(bob, 'video', videoAtEnd + 10, from.bob, 6000);
    const deadline = Date.now() + 5000;
    while (ivfBytes(bob) <= ivfAtEnd && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    expect(ivfBytes(bob)).toBeGreaterThan(ivfAtEnd);
    // Bob asked Alice for what the outage lost: RFC 4585 feedback (NACK or PLI) crossed the relay
    // after it. (The IVF clip also has a keyframe every second, so recovery does not hinge on PLI.)
    expect(feedbackToAlice - feedbackBeforeOutageEnd).toBeGreaterThan(0);

    const audio = bob.lastStats('audio')!;
    expect(audio.packetsLost > 0 || audio.fractionLost > 0).toBe(true);
    for (const p of [alice, bob]) for (const s of ['audio', 'video'] as const) expect(p.lastStats(s)?.protectFailures ?? 0).toBe(0);
    for (const [p, id] of [[alice, aliceCallId], [bob, bobCallId]] as const) expect(p.core.snapshot().calls.find((c) => c.callId === id)?.state).toBe('connected');

    await alice.core.invoke('hangup', { callId: aliceCallId });
    await bob.until(callWhere((c) => c.callId === bobCallId && c.state === 'ended'));
  }, 38_000);

  it('ZRTP completes under 20 % loss', async () => {
    const { alice, bob, aliceCallId, securedMs } = await callThroughRelay(20, { loss: 0.2 });
    expect(relay!.counters.lost).toBeGreaterThan(0);
    expect(zrtpLost).toBe(3);
    expect(securedMs).toBeLessThan(15_000);
    const stats = await bob.until(streamStats('audio', (s) => s.packetsReceived > 20));
    expect(stats.streams.every((s) => s.protectFailures === 0)).toBe(true);
    await alice.core.invoke('hangup', { callId: aliceCallId });
  }, 25_000);
});
