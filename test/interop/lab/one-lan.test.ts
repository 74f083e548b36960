// Two computers on one LAN (root; network namespaces): `vouch` CLIs started with no --host and no
// --port listen on 5060 on every interface and advertise their LAN address; each calls the other
// by IP and by name (the LAN's DNS server, through /etc/resolv.conf), both directions, with equal
// SAS, audio both ways (each side sends its own tone) and video added to a running call.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, ADDR, labSkipReason } from './lab';
import { startDns, LAB_DOMAIN } from './services';
import { startVouch, isSecure, isListening, receivedTone, streamStats, type VouchNs } from './vouch-ns';

const skip = labSkipReason();
const TONE = { alice: 1000, bob: 700 } as const;

describe.skipIf(skip)('one LAN: two Vouch CLIs with default addresses and ports', () => {
  let lab: Lab;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vouch-lab-lan-'));
    lab = await Lab.create();
    await startDns(lab, 'lan', ADDR.lanDns, { hosts: { [`alice.${LAB_DOMAIN}`]: [ADDR.l1], [`bob.${LAB_DOMAIN}`]: [ADDR.l2] } });
  });
  afterAll(async () => {
    await lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** One call from `caller` to the listener: secure, same SAS, each hears the other's tone. */
  async function call(role: 'l1' | 'l2', name: string, uri: string, tone: number, listener: VouchNs, peerTone: number, extra: string[] = []): Promise<VouchNs> {
    const c = startVouch(lab, role, name, dir, ['call', uri, '--tone', String(tone), '--duration', '3', ...extra]);
    const mine = await c.next(isSecure, 20_000);
    const theirs = await listener.next((l) => isSecure(l) && l.sas === mine.sas, 10_000);
    expect(theirs.sas).toBe(mine.sas);
    expect(await c.exited).toBe(0);
    expect(Math.abs(receivedTone(c.recordDir) - peerTone)).toBeLessThan(30);
    for (const s of [...streamStats(c, 'audio'), ...streamStats(c, 'video')]) expect(s.protectFailures).toBe(0);
    return c;
  }

  it('listens on 5060 on every interface and calls by IP and by name, both ways, with video', async () => {
    const alice = startVouch(lab, 'l1', 'alice', dir, ['listen', '--tone', String(TONE.alice), '--calls', '2']);
    const bob = startVouch(lab, 'l2', 'bob', dir, ['listen', '--tone', String(TONE.bob), '--calls', '2']);
    const [al, bl] = await Promise.all([alice.next(isListening, 20_000), bob.next(isListening, 20_000)]);
    // What a peer can reach: the LAN address on 5060, never loopback.
    expect(JSON.stringify(al)).toContain(`${ADDR.l1}:5060`);
    expect(JSON.stringify(bl)).toContain(`${ADDR.l2}:5060`);
    expect(JSON.stringify(bl)).not.toContain('127.0.0.1');

    // Alice's side calls Bob by IP (adding video) and then by name, while Bob's side does the same.
    const fromAlice = (async () => {
      const c = await call('l1', 'alice-ip', `sip:bob@${ADDR.l2}`, TONE.alice, bob, TONE.bob, ['--add-video-after', '0.5']);
      expect(c.lines.some((l) => l.event === 'security' && (l.perStream as { video?: { state: string } } | undefined)?.video?.state === 'secure')).toBe(true);
      expect(streamStats(c, 'video').some((s) => s.packetsReceived > 0)).toBe(true);
      await call('l1', 'alice-dns', `sip:bob@bob.${LAB_DOMAIN}`, TONE.alice, bob, TONE.bob);
    })();
    const fromBob = (async () => {
      await call('l2', 'bob-ip', `sip:alice@${ADDR.l1}`, TONE.bob, alice, TONE.alice);
      await call('l2', 'bob-dns', `sip:alice@alice.${LAB_DOMAIN}`, TONE.bob, alice, TONE.alice);
    })();
    await Promise.all([fromAlice, fromBob]);
    expect(await alice.exited).toBe(0);
    expect(await bob.exited).toBe(0);
    // The listeners heard the callers too (their recording holds the last call).
    expect(Math.abs(receivedTone(alice.recordDir) - TONE.bob)).toBeLessThan(30);
    expect(Math.abs(receivedTone(bob.recordDir) - TONE.alice)).toBeLessThan(30);
  }, 90_000);
});
