// Calls across a bad network (root; network namespaces): one Vouch ↔ Vouch call per condition of
// bench/call-quality.mjs (loss 0/2/5/10 %, 30 ms jitter, both, a 500 kbit/s bottleneck with
// video), through the impairing router of impairment.ts. Each asserts the call stays up, secure
// and two-way, and that the impairment and the receiver's counters moved. The quality figures
// (bad frames, mouth-to-ear delay, freezes) belong to the bench, not here.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, ADDR, labSkipReason } from './lab';
import { startVouch, isSecure, isListening, streamStats, type VouchNs } from './vouch-ns';
import { NETWORK_CONDITIONS, startImpairedPath } from './impairment';

const skip = labSkipReason();
const CALL_SECONDS = 3;

describe.skipIf(skip)('calls across a lossy, jittery, narrow network', () => {
  let lab: Lab;
  let dir: string;
  let bob: VouchNs;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vouch-lab-bad-'));
    lab = await Lab.create();
    // No ICE: the router splices its relay into the SDP, and ICE's host pair would go around it.
    bob = startVouch(lab, 'l2', 'bob', dir, ['listen', '--host', ADDR.l2, '--port', '5060', '--no-ice', '--tone', '700']);
    await bob.next(isListening, 30_000);
  }, 60_000);
  afterAll(async () => {
    await bob?.stop();
    await lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const condition of NETWORK_CONDITIONS) {
    it(`${condition.name}: the call stays up, secure and two-way, and the counters move`, async () => {
      // Periodic loss: a 3 s call is sure to lose packets both ways (random 2 % may spare one way):
      // every (100 / loss)th RTP packet per direction, so more than that many received contain a loss.
      const path = await startImpairedPath(lab, condition, 5060, 0x24 + condition.lossPct, 'periodic');
      try {
        const video = condition.video ? ['--add-video-after', '0.3'] : [];
        const alice = startVouch(lab, 'l1', `alice-${condition.name}`, dir, ['call', path.uri('bob'), '--host', ADDR.l1, '--no-ice', '--tone', '1000', '--duration', String(CALL_SECONDS), ...video]);
        const mine = await alice.next(isSecure, 20_000);
        const theirs = await bob.next((l) => isSecure(l) && l.sas === mine.sas, 10_000);
        expect(theirs.sas).toBe(mine.sas);
        // The call lasted its whole duration: hung up by Alice's timer, not by a failure.
        expect(await alice.exited).toBe(0);
        expect(alice.lines.some((l) => l.event === 'ended' && /timeout|fail/i.test(String(l.reason ?? '')))).toBe(false);

        const aliceAudio = streamStats(alice, 'audio').at(-1);
        expect(aliceAudio?.packetsReceived).toBeGreaterThan(50);
        expect(aliceAudio?.protectFailures).toBe(0);
        expect(path.relay().forwarded).toBeGreaterThan(100);
        if (condition.lossPct > 0) {
          // nftables dropped RTP, and the receiver noticed (RFC 3550 cumulative loss): with over 50
          // received, a drop falls between two of them (impairment.ts, nftLossRules).
          expect(path.nftDropped()).toBeGreaterThan(0);
          const lost = streamStats(alice, 'audio').reduce((n, s) => Math.max(n, s.packetsLost), 0);
          expect(lost).toBeGreaterThan(0);
        }
        if (condition.jitterMs > 0) {
          // RFC 3550 A.8 interarrival jitter of 0..30 ms uniform delay: several ms.
          const jitter = Math.max(...streamStats(alice, 'audio').map((s) => s.jitterMs));
          expect(jitter).toBeGreaterThan(2);
        }
        if (condition.video) {
          // The video stream was keyed and flowed through the bottleneck.
          expect(streamStats(alice, 'video').some((s) => s.packetsReceived > 0)).toBe(true);
        }
      } finally {
        await path.stop();
      }
    }, 60_000);
  }
});
