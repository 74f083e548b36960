// Issue 16, "Self-downgrade": someone on the media path holds back ZRTP between two Vouch
// AppCores that both allow SDES. Once a peer has shown it speaks ZRTP (its Hello reached us, or
// its SDP carried a=zrtp-hash, RFC 6189 §8.1), a handshake that does not finish ends the call as
// security-refused; it never falls back to SDES, whose keys every server in the path reads.
import { describe, it, expect, afterEach } from 'vitest';
import type { ApiEvent, CallInfo } from '../../src/shared/api';
import { messageTypeOf } from '../../src/crypto/zrtp';
import { HostileProxy } from './hostile-proxy';
import { UdpRelay } from './udp-relay';
import { VouchPeers } from './vouch-peer';
import { callWhere } from './vouch-events';
import type { VouchPeer } from './vouch-peer';

const peers = new VouchPeers();
let proxy: HostileProxy | undefined;
let relay: UdpRelay | undefined;
afterEach(async () => {
  await peers.closeAll();
  await proxy?.close();
  await relay?.close();
  proxy = relay = undefined;
});

/** RFC 6189 §5.1.1: the 8-character type block at bytes 16..23 of a ZRTP packet. */
const zrtpType = (d: Buffer): string | undefined => messageTypeOf(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));

interface Outcome {
  alice: VouchPeer;
  bob: VouchPeer;
  ended: CallInfo[];
  dropped: number;
}

/** Alice calls Bob through the proxy and relay, both allowing SDES; `drop` picks the ZRTP messages the path eats. */
async function callWhileDropping(drop: (type: string) => boolean): Promise<Outcome> {
  // No ICE: the proxy rewrites m= ports to the relay, which ICE's host pair would go around.
  const alice = await peers.start({ autoAnswer: false, mediaSecurity: 'allow-sdes', ice: false });
  const bob = await peers.start({ autoAnswer: true, mediaSecurity: 'allow-sdes', ice: false });
  relay = new UdpRelay({ seed: 16 });
  let dropped = 0;
  relay.forceDrop = (d) => {
    const type = zrtpType(d);
    if (type === undefined || !drop(type)) return false;
    dropped++;
    return true;
  };
  proxy = await HostileProxy.start({ calleePort: bob.sipPort, relay });
  await alice.core.invoke('call', { uri: proxy.uriFor('bob') });
  // The Hello timer is 5 s (ZRTP_HELLO_TIMEOUT_MS); both calls must be over well before 15 s.
  const ended = await Promise.all([alice, bob].map((p) => p.until(callWhere((c) => c.state === 'ended'), 15_000)));
  return { alice, bob, ended, dropped };
}

/** Every security state a peer went through: none may be SDES (or plain with media flowing). */
function securityModes(events: ApiEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'security' ? [e.security.mode] : []));
}

function expectRefusedWithoutDowngrade(o: Outcome): void {
  const reasons = o.ended.map((c) => c.endReason);
  // The side whose timer fires first refuses the call; the other one sees its BYE.
  expect(reasons).toContain('security-refused');
  for (const r of reasons) expect(['security-refused', 'remote-hangup']).toContain(r);
  for (const p of [o.alice, o.bob]) expect(securityModes(p.events)).not.toContain('sdes');
  // No SDES re-offer crossed the proxy: no a=crypto line anywhere in the SIP trace.
  expect(proxy!.seen.some((m) => /^a=crypto:/m.test(m.message.body))).toBe(false);
  const refuser = [o.alice, o.bob].find((p, i) => o.ended[i].endReason === 'security-refused')!;
  const warnings = refuser.events.flatMap((e) => (e.type === 'security' ? e.security.warnings : []));
  expect(warnings.some((w) => w.kind === 'zrtp-error' && /speaks ZRTP/.test(w.message))).toBe(true);
}

describe('a stalled ZRTP handshake is never turned into SDES (issue 16)', () => {
  it('every Commit dropped after both Hellos went through: the call ends security-refused, no SDES re-offer', async () => {
    const o = await callWhileDropping((type) => type === 'Commit  ');
    expect(o.dropped).toBeGreaterThan(0);
    expectRefusedWithoutDowngrade(o);
  }, 30_000);

  it('every ZRTP packet dropped, Hellos too: the a=zrtp-hash in the SDP is enough to refuse SDES', async () => {
    const o = await callWhileDropping(() => true);
    expect(o.dropped).toBeGreaterThan(0);
    expectRefusedWithoutDowngrade(o);
  }, 30_000);
});
