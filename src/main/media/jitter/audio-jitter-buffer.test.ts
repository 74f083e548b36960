import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { AudioJitterBuffer } from './audio-jitter-buffer';
import { drain } from './test-support';

const FRAME = new Uint8Array(160);

function buffer(): AudioJitterBuffer {
  return new AudioJitterBuffer({ clockRate: 8000, frameDuration: 160, capacity: 32, slotSize: 200, minDelayMs: 20, maxDelayMs: 200 });
}

/** Packet `i` of a 20 ms stream, its first payload byte = i so the output order is visible. */
function push(jb: AudioJitterBuffer, i: number, arrivalMs: number, seq0 = 1000, ts0 = 5000): string {
  FRAME[0] = i & 0xff;
  return jb.push((seq0 + i) & 0xffff, (ts0 + i * 160) >>> 0, FRAME, 0, 160, arrivalMs);
}

describe('AudioJitterBuffer', () => {
  it('plays frames in order at media time + base transit + target delay', () => {
    const jb = buffer();
    for (let i = 0; i < 5; i++) push(jb, i, 100 + i * 20);
    expect(jb.targetDelayMs).toBe(20);
    expect(jb.pop(119)).toBe('wait');
    expect(jb.nextPlayoutTimeMs()).toBe(120);
    expect(jb.pop(120)).toBe('frame');
    expect(jb.frameEnd - jb.frameStart).toBe(160);
    expect(drain(jb, 125, 300)).toEqual(['1', '2', '3', '4']);
    expect(jb.pop(1000)).toBe('empty');
  });

  it('reorders packets and drops duplicates', () => {
    const jb = buffer();
    const order = [0, 2, 1, 1, 3, 5, 4];
    const results = order.map((i, k) => push(jb, i, 100 + k * 20));
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(1);
    expect(drain(jb, 100, 400)).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(jb.counters.duplicate).toBe(1);
  });

  it('marks a missing frame lost once a later frame is due, and drops it if it comes after', () => {
    const jb = buffer();
    for (const i of [0, 1, 3, 4]) push(jb, i, 100 + i * 20);
    expect(drain(jb, 100, 250)).toEqual(['0', '1', 'lost', '3', '4']);
    expect(push(jb, 2, 260)).toBe('late');
    expect(jb.counters).toMatchObject({ lost: 1, late: 1, played: 4 });
  });

  it('raises the target delay to how late packets were, within bounds', () => {
    const jb = buffer();
    // Alternate 0 and 40 ms of extra delay: |D| = 40 ms each packet, J -> 40 ms (A.8, kept as a
    // statistic), and 40 ms of delay lets every packet play on time.
    const arrivals = Array.from({ length: 200 }, (_, i) => ({ i, at: 100 + i * 20 + (i % 2) * 40 })).sort((a, b) => a.at - b.at);
    for (const p of arrivals) {
      push(jb, p.i, p.at);
      drain(jb, p.at, p.at);
    }
    expect(jb.jitterMs).toBeGreaterThan(35);
    expect(jb.targetDelayMs).toBe(40);
    const wild = buffer();
    for (let i = 0; i < 30; i++) push(wild, i, 100 + i * 20 + (i % 2) * 250);
    expect(wild.targetDelayMs).toBe(200);
  });

  it('fewer late packets with jitter than a fixed minimal delay would have', () => {
    const jb = buffer();
    let t = 0;
    const rng = fc.sample(fc.integer({ min: 0, max: 60 }), { numRuns: 500, seed: 42 });
    for (let i = 0; i < 500; i++) {
      push(jb, i, 100 + i * 20 + rng[i]);
      t = 100 + i * 20;
      drain(jb, t, t);
    }
    // With up to 60 ms of random delay, most packets must still make it once the delay adapted.
    expect(jb.counters.late).toBeLessThan(50);
    expect(jb.counters.played + jb.counters.late).toBeGreaterThan(450);
  });

  it('works across the sequence number and timestamp wraps', () => {
    const jb = buffer();
    for (let i = 0; i < 10; i++) push(jb, i, 100 + i * 20, 65530, 0xfffffd00);
    expect(drain(jb, 100, 400)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('takes timestamps unsigned or as signed 32-bit patterns and reports them unsigned', () => {
    const unsigned = buffer();
    const signed = buffer();
    const popped: [number[], number[]] = [[], []];
    for (let i = 0; i < 8; i++) {
      const ts = (0xfffffd00 + i * 160) >>> 0;
      unsigned.push((65533 + i) & 0xffff, ts, FRAME, 0, 160, 100 + i * 20);
      signed.push((65533 + i) & 0xffff, ts | 0, FRAME, 0, 160, 100 + i * 20);
    }
    for (let t = 100; t <= 400; t += 5) {
      [unsigned, signed].forEach((jb, k) => {
        while (jb.pop(t) === 'frame') popped[k].push(jb.frameTimestamp);
      });
    }
    expect(popped[0]).toEqual([0xfffffd00, 0xfffffda0, 0xfffffe40, 0xfffffee0, 0xffffff80, 0x20, 0xc0, 0x160]);
    expect(popped[1]).toEqual(popped[0]);
  });

  it('resynchronizes when the sequence jumps far ahead (sender restart)', () => {
    const jb = buffer();
    push(jb, 0, 100);
    expect(jb.push(30000, 99999, FRAME, 0, 160, 120)).toBe('resync');
    expect(jb.counters.resyncs).toBe(1);
    expect(drain(jb, 120, 200)).toHaveLength(1);
  });

  it('refuses a payload larger than a slot', () => {
    const jb = buffer();
    expect(jb.push(1, 1, new Uint8Array(300), 0, 300, 0)).toBe('too-large');
  });

  it('never throws and never plays a frame twice for arbitrary arrivals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 50 })), { maxLength: 100 }),
        (packets) => {
          const jb = buffer();
          const played = new Set<number>();
          let now = 0;
          for (const [seq, dt] of packets) {
            now += dt;
            jb.push(seq, seq * 160, FRAME, 0, 160, now);
            while (true) {
              const r = jb.pop(now);
              if (r === 'frame') {
                if (played.has(jb.frameSequence + jb.counters.resyncs * 0x10000)) return false;
                played.add(jb.frameSequence + jb.counters.resyncs * 0x10000);
              } else if (r !== 'lost') break;
            }
          }
          return true;
        },
      ),
    );
  });

  describe('playout between talk spurts (RFC 3551 §4.1)', () => {
    /** One popped item: a frame id and the delay it was played with, or a concealment. */
    type Played = { id: number; delayMs: number } | 'lost';

    /**
     * A recorded call: talk spurts of 20 ms frames separated by DTX silence (the timestamp jumps,
     * the sequence number does not; the first packet of a spurt has the marker bit). `extraMs(i)`
     * is packet i's delay beyond the fastest path. Pops every 5 ms like the worker's tick.
     */
    function replay(jb: AudioJitterBuffer, spurts: number[], silenceFrames: number, extraMs: (i: number) => number): { played: Played[]; spurtOf: number[] } {
      const packets: { i: number; slot: number; marker: boolean; arrival: number }[] = [];
      const spurtOf: number[] = [];
      let i = 0;
      let slot = 0;
      spurts.forEach((length, s) => {
        for (let k = 0; k < length; k++, i++, slot++) {
          packets.push({ i, slot, marker: k === 0, arrival: 100 + slot * 20 + extraMs(i) });
          spurtOf.push(s);
        }
        slot += silenceFrames;
      });
      const byArrival = [...packets].sort((a, b) => a.arrival - b.arrival);
      const played: Played[] = [];
      let next = 0;
      const end = byArrival[byArrival.length - 1].arrival + 1000;
      for (let t = 100; t <= end; t += 5) {
        while (next < byArrival.length && byArrival[next].arrival <= t) {
          const p = byArrival[next++];
          FRAME[0] = p.i & 0xff;
          jb.push((1000 + p.i) & 0xffff, (5000 + p.slot * 160) >>> 0, FRAME, 0, 160, p.arrival, p.marker);
        }
        for (let r = jb.pop(t); r === 'frame' || r === 'lost'; r = jb.pop(t)) {
          played.push(r === 'frame' ? { id: jb.slab[jb.frameStart], delayMs: jb.playoutDelayMs } : 'lost');
        }
      }
      return { played, spurtOf };
    }

    const frames = (played: Played[]) => played.filter((p): p is { id: number; delayMs: number } => p !== 'lost');

    it('moves the delay at spurt starts only: once adapted, jittery spurts play every frame, in order', () => {
      const jb = new AudioJitterBuffer({ clockRate: 8000, frameDuration: 160, capacity: 64, slotSize: 200, minDelayMs: 20, maxDelayMs: 300 });
      // Spurt 0 calm; spurts 1 and 2 with 0/40 ms alternating jitter; spurts 3 and 4 calm again
      // (spurt 3 longer than the 512-packet lateness window, so the burst is forgotten by spurt 4).
      const spurts = [25, 40, 40, 550, 25];
      const starts = spurts.map((_, s) => spurts.slice(0, s).reduce((a, b) => a + b, 0));
      const jittery = (i: number) => i >= starts[1] && i < starts[3];
      const { played, spurtOf } = replay(jb, spurts, 25, (i) => (jittery(i) && i % 2 === 1 ? 40 : 0));
      // Which sent frame each played item is (the payload carries its id mod 256), or 'lost'.
      const sentIndex: (number | 'lost')[] = [];
      let cursor = 0;
      for (const p of played) {
        if (p === 'lost') {
          sentIndex.push('lost');
          continue;
        }
        // Frames are only ever skipped (lost), never reordered or repeated; only in spurt 1 the
        // estimator could not foresee the first late packets.
        while ((cursor & 0xff) !== p.id) {
          expect(spurtOf[cursor]).toBe(1);
          cursor++;
        }
        sentIndex.push(cursor++);
      }
      expect(cursor).toBe(680);
      expect(jb.counters.lost).toBe(jb.counters.late);
      // (A packet's lateness is judged against the 8 that arrive after it, so a few more go late
      // at the burst's start than the first alone.)
      expect(jb.counters.lost).toBeLessThanOrEqual(6);
      expect(frames(played)).toHaveLength(680 - jb.counters.lost);
      const spurtItems = (s: number) => {
        const first = sentIndex.findIndex((i) => i !== 'lost' && spurtOf[i] === s);
        const last = sentIndex.findLastIndex((i) => i !== 'lost' && spurtOf[i] === s);
        return played.slice(first, last + 1);
      };
      // Spurts 2, 3, 4 start with the delay the estimator wanted, keep it to their end and have
      // not one frame dropped or concealment inserted.
      for (const s of [2, 3, 4]) {
        const items = spurtItems(s);
        expect(items).toHaveLength(spurts[s]);
        expect(new Set(frames(items).map((f) => f.delayMs)).size).toBe(1);
      }
      const delayOf = (s: number) => frames(spurtItems(s))[0].delayMs;
      expect(delayOf(0)).toBe(20);
      // The delay covers the 40 ms the late packets needed, not a multiple of the jitter.
      expect(delayOf(2)).toBe(40);
      // The jitter ended during spurt 3: its delay stays up until spurt 4 begins, then drops.
      expect(delayOf(3)).toBe(40);
      expect(delayOf(4)).toBe(20);
    });

    it('costs nothing for reordering and jitter within the buffer depth (recorded arrival times)', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 60, maxLength: 120 }), (extra) => {
          const jb = new AudioJitterBuffer({ clockRate: 8000, frameDuration: 160, capacity: 64, slotSize: 200, minDelayMs: 60, maxDelayMs: 300 });
          const { played } = replay(jb, [extra.length], 0, (i) => (i === 0 ? 0 : extra[i]));
          expect(played).toEqual(frames(played));
          expect(frames(played).map((f) => f.id)).toEqual(extra.map((_, i) => i & 0xff));
          return jb.counters.late === 0 && jb.counters.lost === 0 && jb.counters.stretched === 0;
        }),
        { numRuns: 50 },
      );
    });

    it('learns a peer\'s 30 ms packets: a lost one is 240 samples, and no packet is taken for a new spurt', () => {
      const jb = new AudioJitterBuffer({ clockRate: 8000, frameDuration: 160, capacity: 64, slotSize: 300, minDelayMs: 20, maxDelayMs: 300 });
      const delays: number[] = [];
      const lost: number[] = [];
      let next = 0;
      const arrivals = Array.from({ length: 60 }, (_, i) => ({ i, at: 100 + i * 30 + (i % 2) * 25 })).filter((p) => p.i !== 40);
      arrivals.sort((a, b) => a.at - b.at);
      for (let t = 100; t < 2200; t += 5) {
        while (next < arrivals.length && arrivals[next].at <= t) {
          const p = arrivals[next++];
          jb.push((7 + p.i) & 0xffff, p.i * 240, FRAME, 0, 240, p.at);
        }
        for (let r = jb.pop(t); r !== 'wait' && r !== 'empty'; r = jb.pop(t)) {
          if (r === 'frame') delays.push(jb.playoutDelayMs);
          else lost.push(jb.packetDuration);
        }
      }
      expect(jb.packetDuration).toBe(240);
      expect(delays).toHaveLength(59);
      expect(jb.counters.lost).toBe(1);
      expect(lost.every((d) => d === 240)).toBe(true);
      // The delay changed only where a hole was stretched, never frame by frame with the target.
      const changes = delays.filter((d, k) => k > 0 && d !== delays[k - 1]).length;
      expect(changes).toBeLessThanOrEqual(jb.counters.stretched);
    });

    it('after a late packet, plays the next late frame after one concealed frame', () => {
      // One late packet in this short stream is 1 in 20 judged: a 99 % share covers it.
      const jb = new AudioJitterBuffer({ clockRate: 8000, frameDuration: 160, capacity: 64, slotSize: 200, minDelayMs: 20, maxDelayMs: 300, onTimeShare: 0.99 });
      // A calm stream; packet 10 comes 35 ms late and misses its slot (nothing said it would be
      // late: it is lost, and its lateness raises the target); packet 21 comes 35 ms late too,
      // and its hole is stretched so it still plays.
      const { played } = replay(jb, [30], 0, (i) => (i === 10 || i === 21 ? 35 : 0));
      expect(frames(played).map((f) => f.id)).toEqual(Array.from({ length: 30 }, (_, i) => i).filter((i) => i !== 10));
      expect(jb.targetDelayMs).toBe(35);
      expect(jb.counters).toMatchObject({ late: 1, lost: 1, stretched: 1 });
      expect(played.indexOf('lost')).toBe(10);
      expect(played.lastIndexOf('lost')).toBe(21);
    });

    it('a loss is no evidence for more delay: holes without late packets are concealed in place', () => {
      const jb = new AudioJitterBuffer({ clockRate: 8000, frameDuration: 160, capacity: 64, slotSize: 200, minDelayMs: 20, maxDelayMs: 300 });
      // 0–10 ms of jitter (the target may rise a little above the minimum) and every 7th packet lost.
      const { played } = replay(jb, [300], 0, (i) => (i % 7 === 3 ? 10_000 : (i * 37) % 11));
      expect(jb.counters.stretched).toBe(0);
      expect(jb.counters.lost).toBe(43);
      expect(frames(played).every((f) => f.delayMs === 20)).toBe(true);
    });
  });
});
