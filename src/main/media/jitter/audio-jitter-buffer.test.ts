import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { AudioJitterBuffer } from './audio-jitter-buffer';

const FRAME = new Uint8Array(160);

function buffer(): AudioJitterBuffer {
  return new AudioJitterBuffer({ clockRate: 8000, frameDuration: 160, capacity: 32, slotSize: 200, minDelayMs: 20, maxDelayMs: 200 });
}

/** Packet `i` of a 20 ms stream, its first payload byte = i so the output order is visible. */
function push(jb: AudioJitterBuffer, i: number, arrivalMs: number, seq0 = 1000, ts0 = 5000): string {
  FRAME[0] = i & 0xff;
  return jb.push((seq0 + i) & 0xffff, (ts0 + i * 160) >>> 0, FRAME, 0, 160, arrivalMs);
}

/** Pops every 5 ms until `untilMs`, recording frame ids and 'lost'. */
function drain(jb: AudioJitterBuffer, fromMs: number, untilMs: number): string[] {
  const out: string[] = [];
  for (let t = fromMs; t <= untilMs; t += 5) {
    while (true) {
      const r = jb.pop(t);
      if (r === 'frame') out.push(String(jb.slab[jb.frameStart]));
      else if (r === 'lost') out.push('lost');
      else break;
    }
  }
  return out;
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

  it('raises the target delay with jitter and keeps it within bounds', () => {
    const jb = buffer();
    // Alternate 0 and 40 ms of extra delay: |D| = 40 ms each packet, J -> 40 ms.
    for (let i = 0; i < 200; i++) {
      push(jb, i, 100 + i * 20 + (i % 2) * 40);
      drain(jb, 100 + i * 20, 100 + i * 20);
    }
    expect(jb.jitterMs).toBeGreaterThan(35);
    expect(jb.targetDelayMs).toBeCloseTo(160, 0);
    const wild = buffer();
    for (let i = 0; i < 100; i++) push(wild, i, 100 + i * 20 + (i % 2) * 150);
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
});
