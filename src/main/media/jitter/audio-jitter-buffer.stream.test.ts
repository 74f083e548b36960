// The audio jitter buffer inside one continuous stream (G.711 with no DTX and no marker bits, as
// the CLI and Linphone send): the delay follows how late packets were, up and down, and moves
// only at quiet frames or at holes after late packets (issue 24).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { AudioJitterBuffer } from './audio-jitter-buffer';

const FRAME = new Uint8Array(160);

/** Payload bytes 0–1: the frame's index; byte 2: 0 for a quiet frame. */
const isQuiet = (slab: Uint8Array, start: number): boolean => slab[start + 2] === 0;

function buffer(): AudioJitterBuffer {
  return new AudioJitterBuffer({ clockRate: 8000, frameDuration: 160, capacity: 64, slotSize: 200, minDelayMs: 20, maxDelayMs: 300, isQuiet });
}

/** Speech-like: 240 ms of talk, then 120 ms of pause between words. */
const speech = (i: number): boolean => i % 18 >= 12;

/** Seeded uniform integers in [0, max]. */
function randoms(n: number, max: number, seed: number): number[] {
  return fc.sample(fc.integer({ min: 0, max }), { numRuns: n, seed });
}

interface Run {
  /** Played frame indexes and the delay each was played with, or 'lost' (concealed). */
  played: ({ id: number; delayMs: number } | 'lost')[];
  /** Playout delay after each 10 ms tick. */
  delays: number[];
  /** Frames left out to lower the delay, and the frame played before them. */
  dropped: { id: number; after: number }[];
  /** Frames inserted before a frame that was there: the frames on both sides. */
  inserted: { after: number; before: number }[];
}

/**
 * Sends `n` 20 ms frames; frame i is quiet if `quiet(i)`, never arrives if `lost(i)`, else arrives
 * `extraMs(i)` after its send time. Pops every 10 ms like the worker's playout tick.
 */
function replay(jb: AudioJitterBuffer, n: number, quiet: (i: number) => boolean, extraMs: (i: number) => number, lost: (i: number) => boolean = () => false): Run {
  const packets = Array.from({ length: n }, (_, i) => ({ i, at: 100 + i * 20 + extraMs(i) })).filter((p) => !lost(p.i));
  packets.sort((a, b) => a.at - b.at);
  const arrived = new Set<number>();
  const run: Run = { played: [], delays: [], dropped: [], inserted: [] };
  /** The frame played last, and the one the buffer holds next. */
  let last = -1;
  let head = 0;
  let next = 0;
  for (let t = 100; t < 100 + n * 20 + 1000; t += 10) {
    while (next < packets.length && packets[next].at <= t) {
      const p = packets[next++];
      FRAME[0] = p.i & 0xff;
      FRAME[1] = p.i >> 8;
      FRAME[2] = quiet(p.i) ? 0 : 1;
      jb.push((3000 + p.i) & 0xffff, (77 + p.i * 160) >>> 0, FRAME, 0, 160, p.at);
      arrived.add(p.i);
    }
    while (true) {
      const shrunk = jb.counters.shrunk;
      const stretched = jb.counters.stretched;
      const r = jb.pop(t);
      if (r === 'frame') {
        const id = jb.slab[jb.frameStart] | (jb.slab[jb.frameStart + 1] << 8);
        for (let k = shrunk; k < jb.counters.shrunk; k++) run.dropped.push({ id: id - jb.counters.shrunk + k, after: last });
        run.played.push({ id, delayMs: jb.playoutDelayMs });
        last = id;
        head = id + 1;
      } else if (r === 'lost') {
        if (jb.counters.stretched === stretched) head++;
        else if (arrived.has(head)) run.inserted.push({ after: last, before: head });
        run.played.push('lost');
      } else break;
    }
    run.delays.push(jb.playoutDelayMs);
  }
  return run;
}

/** Every delay change inside the stream happened in a pause: between quiet frames. */
function expectChangesOnlyInPauses(run: Run, quiet: (i: number) => boolean): void {
  for (const d of run.dropped) {
    expect(quiet(d.id)).toBe(true);
    expect(quiet(d.after)).toBe(true);
  }
  for (const s of run.inserted) {
    expect(quiet(s.after)).toBe(true);
    expect(quiet(s.before)).toBe(true);
  }
}

describe('AudioJitterBuffer within a continuous stream', () => {
  it('settles near the spread of uniform 0–30 ms jitter, changing the delay only in pauses', () => {
    const jb = buffer();
    const extra = randoms(1500, 30, 7);
    const run = replay(jb, 1500, speech, (i) => extra[i]);
    const settled = run.delays.slice(500);
    expect(Math.max(...settled)).toBeLessThanOrEqual(60);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(30);
    // The first late packets come before the delay has grown; after that about 1 %.
    expect(jb.counters.late).toBeLessThanOrEqual(30);
    expect(jb.counters.lost).toBe(jb.counters.late);
    expectChangesOnlyInPauses(run, speech);
    // It went to the delay it needed and stayed there: a few moves, not a ratchet.
    expect(run.dropped.length + run.inserted.length).toBeLessThanOrEqual(10);
  });

  it('does not raise the delay for 5 % random loss alone', () => {
    const jb = buffer();
    const extra = randoms(1500, 5, 11);
    const drop = randoms(1500, 99, 12).map((r) => r < 5);
    const run = replay(jb, 1500, speech, (i) => extra[i], (i) => i > 0 && drop[i]);
    expect(run.delays.every((d) => d === 20)).toBe(true);
    expect(jb.counters).toMatchObject({ stretched: 0, shrunk: 0, late: 0, lost: drop.filter((d, i) => d && i > 0).length });
  });

  it('brings the delay down in pauses once a jitter burst has ended', () => {
    const jb = buffer();
    const extra = randoms(2000, 100, 5);
    // Calm, then 10 s of 0–100 ms jitter, then calm again.
    const run = replay(jb, 2000, speech, (i) => (i >= 300 && i < 800 ? extra[i] : 0));
    const during = run.delays[2 * 790];
    expect(during).toBeGreaterThanOrEqual(80);
    expect(during).toBeLessThanOrEqual(120);
    // 512 packets after the burst it is forgotten; within the next pauses the delay is back.
    expect(run.delays[2 * 1400]).toBe(20);
    expect(jb.counters.shrunk).toBeGreaterThanOrEqual(3);
    expectChangesOnlyInPauses(run, speech);
    // Every frame that arrived in time played, in order.
    const ids = run.played.filter((p) => p !== 'lost').map((p) => p.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.length + jb.counters.late + jb.counters.shrunk).toBe(2000);
  });

  it('never drops or inserts in a stream without pauses, and without a quiet test never in pauses either', () => {
    const extra = randoms(1200, 60, 3);
    const talking = buffer();
    const loud = replay(talking, 1200, () => false, (i) => (i >= 400 && i < 600 ? extra[i] : 0));
    expect(talking.counters.shrunk).toBe(0);
    expect(loud.inserted).toHaveLength(0);
    const blind = new AudioJitterBuffer({ clockRate: 8000, frameDuration: 160, capacity: 64, slotSize: 200, minDelayMs: 20, maxDelayMs: 300 });
    const run = replay(blind, 1200, speech, (i) => (i >= 400 && i < 600 ? extra[i] : 0));
    expect(blind.counters.shrunk).toBe(0);
    expect(run.inserted).toHaveLength(0);
  });

  it('with 5 % loss and 0–30 ms jitter, loses little beyond the lost packets and keeps the delay near the spread', () => {
    const jb = buffer();
    const extra = randoms(1500, 30, 21);
    const drop = randoms(1500, 99, 22).map((r) => r < 5);
    const run = replay(jb, 1500, speech, (i) => extra[i], (i) => i > 0 && drop[i]);
    expect(Math.max(...run.delays.slice(500))).toBeLessThanOrEqual(60);
    expect(jb.counters.late).toBeLessThanOrEqual(30);
    expectChangesOnlyInPauses(run, speech);
  });

  it('follows a stream that shifted as a whole (a sender stall, clock drift) without adding delay', () => {
    const jb = buffer();
    const extra = randoms(1500, 10, 9);
    // The sender stalls 200 ms at frame 300 and carries on from there; from frame 700 its clock
    // runs 1 % slow (0.2 ms more per frame).
    const shift = (i: number) => (i >= 300 ? 200 : 0) + (i >= 700 ? (i - 700) * 0.2 : 0);
    const run = replay(jb, 1500, speech, (i) => shift(i) + extra[i]);
    expect(run.inserted).toHaveLength(0);
    expect(jb.counters).toMatchObject({ late: 0, lost: 0, stretched: 0 });
    expect(run.delays.every((d) => d === 20)).toBe(true);
  });

  it('changes the delay only between quiet frames for any jitter (recorded arrival times)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 100, maxLength: 400 }), fc.integer({ min: 2, max: 12 }), (extra, period) => {
        const jb = buffer();
        const quiet = (i: number) => i % period === 0 || i % period === 1;
        const run = replay(jb, extra.length, quiet, (i) => (i === 0 ? 0 : extra[i]));
        expectChangesOnlyInPauses(run, quiet);
        return run.delays.every((d) => d >= 20 && d <= 300);
      }),
      { numRuns: 40 },
    );
  });
});
