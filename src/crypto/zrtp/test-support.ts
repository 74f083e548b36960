// Deterministic helpers for the engine tests and the benchmark: a seeded RNG and an in-memory
// network with a virtual clock that can drop, duplicate and reorder packets.
import { sha256 } from '@noble/hashes/sha2.js';
import { ZrtpEngine } from './engine';
import { portableZrtpPrimitives } from './portable';
import type { ZrtpEngineOptions } from './engine';
import type { ZrtpEvent, ZrtpOutput } from './session-events';
import { MemoryZrtpCache } from './cache';
import { concatBytes, u32be } from './bytes';

/** A seeded byte source (SHA-256 in counter mode): same seed, same bytes. */
export function seededRandom(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  const key = new TextEncoder().encode(seed);
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 32) out.set(sha256(concatBytes(key, u32be(counter++))).subarray(0, Math.min(32, n - i)), i);
    return out;
  };
}

/** A seeded float in [0, 1) for loss decisions. */
export function seededUnit(seed: string): () => number {
  const bytes = seededRandom(seed);
  return () => {
    const b = bytes(4);
    return (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) / 2 ** 32;
  };
}

export function makeEngine(name: string, overrides: Partial<ZrtpEngineOptions> = {}): ZrtpEngine {
  const random = seededRandom(`engine-${name}`);
  return new ZrtpEngine({ zid: random(12), ssrc: name.charCodeAt(0), random, cache: new MemoryZrtpCache(), primitives: portableZrtpPrimitives, ...overrides });
}

export interface Delivery {
  readonly from: 'a' | 'b';
  readonly packet: Uint8Array;
  readonly index: number;
}

export interface LinkOptions {
  /** Returns what to deliver for this packet: [] drops it, [p, p] duplicates it, a changed copy tampers. */
  readonly filter?: (d: Delivery) => Uint8Array[];
  /** One-way delay in ms (default 1); a function lets tests reorder. */
  readonly delay?: (d: Delivery) => number;
  /** Give up after this much virtual time. */
  readonly limit?: number;
}

export interface InputRecord {
  readonly to: 'a' | 'b';
  readonly packet: Uint8Array;
  readonly before: string;
  readonly after: string;
  readonly events: ZrtpEvent[];
}

export interface RunResult {
  readonly inputs: InputRecord[];
  readonly a: ZrtpEvent[];
  readonly b: ZrtpEvent[];
  readonly time: number;
  readonly packets: number;
}

/** Runs two engines against each other on a virtual clock until both are done or `limit` passes. */
export function runPair(a: ZrtpEngine, b: ZrtpEngine, options: LinkOptions = {}): RunResult {
  const events = { a: [] as ZrtpEvent[], b: [] as ZrtpEvent[] };
  const queue: { at: number; to: 'a' | 'b'; packet: Uint8Array }[] = [];
  const engines = { a, b };
  const deadlines: Record<'a' | 'b', number | undefined> = { a: undefined, b: undefined };
  let index = 0;
  const inputs: InputRecord[] = [];
  const handle = (who: 'a' | 'b', out: ZrtpOutput, now: number) => {
    events[who].push(...out.events);
    deadlines[who] = out.nextDeadline;
    for (const packet of out.packets) {
      const d: Delivery = { from: who, packet, index: index++ };
      const copies = options.filter ? options.filter(d) : [packet];
      const delay = options.delay ? options.delay(d) : 1;
      for (const c of copies) queue.push({ at: now + delay, to: who === 'a' ? 'b' : 'a', packet: c });
    }
  };
  let now = 0;
  handle('a', a.start(now), now);
  handle('b', b.start(now), now);
  const limit = options.limit ?? 60_000;
  const done = () => (a.state === 'secure' || a.state === 'failed') && (b.state === 'secure' || b.state === 'failed') && queue.length === 0;
  while (now <= limit && !done()) {
    queue.sort((x, y) => x.at - y.at);
    const candidates = [queue[0]?.at, deadlines.a, deadlines.b].filter((t): t is number => t !== undefined);
    if (!candidates.length) break;
    now = Math.max(now, Math.min(...candidates));
    while (queue.length && queue[0].at <= now) {
      const item = queue.shift() as (typeof queue)[number];
      const before = engines[item.to].state;
      const out = engines[item.to].input(item.packet, now);
      inputs.push({ to: item.to, packet: item.packet, before, after: engines[item.to].state, events: out.events });
      handle(item.to, out, now);
    }
    for (const who of ['a', 'b'] as const) {
      const deadline = deadlines[who];
      if (deadline !== undefined && deadline <= now) handle(who, engines[who].tick(now), now);
    }
  }
  return { ...events, inputs, time: now, packets: index };
}
