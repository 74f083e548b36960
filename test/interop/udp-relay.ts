// A loopback UDP relay that impairs what it carries: loss, reordering, duplication, jitter and an
// outage window, drawn from a seeded RNG so a failing run can be replayed. One RelayLeg carries
// one media stream between two endpoints; each endpoint sees the other at the leg's socket that
// faces it, so symmetric-RTP checks on the source address still hold.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';

/** mulberry32: a tiny deterministic PRNG in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Impairment {
  /** Probability a datagram is dropped. */
  loss: number;
  /** Probability a datagram is held back and sent after the next one of its direction. */
  reorder: number;
  /** Probability a datagram is sent twice. */
  duplicate: number;
  /** Each datagram is delayed by a uniform 0..jitterMs. */
  jitterMs: number;
  /**
   * A bottleneck, per direction (0: none): datagrams leave no faster than this many kbit/s, and
   * what would wait longer than BOTTLENECK_QUEUE_MS in its queue is dropped (a router's drop-tail).
   */
  rateKbps: number;
}

export const NO_IMPAIRMENT: Impairment = { loss: 0, reorder: 0, duplicate: 0, jitterMs: 0, rateKbps: 0 };

/** The bottleneck's queue, in milliseconds of sending at its rate (a home router's buffer). */
export const BOTTLENECK_QUEUE_MS = 200;

export interface RelayCounters {
  received: number;
  forwarded: number;
  lost: number;
  duplicated: number;
  reordered: number;
  /** Dropped because the outage window was open. */
  outage: number;
  /** Dropped because the bottleneck's queue was full. */
  queueDrops: number;
}

/** One direction's bottleneck: when its queue drains (ms, Date.now() clock). */
interface Bottleneck {
  busyUntil: number;
}

/** How long a reordered datagram waits for a successor before it goes alone. */
const REORDER_HOLD_MS = 30;

/** Impairments, RNG, outage window and counters shared by every leg of one relay. */
export class UdpRelay {
  impairment: Impairment;
  /**
   * Sees each datagram the random loss spared, with the side it travels toward (A: the caller's
   * side), and drops it when it returns true: a deterministic loss, or a tap.
   */
  forceDrop: ((data: Buffer, toward: 'A' | 'B') => boolean) | undefined;
  readonly counters: RelayCounters = { received: 0, forwarded: 0, lost: 0, duplicated: 0, reordered: 0, outage: 0, queueDrops: 0 };
  private readonly random: () => number;
  private outageUntil = 0;
  private readonly legs = new Set<RelayLeg>();

  constructor(options: { seed: number; impairment?: Partial<Impairment> }) {
    this.random = seededRandom(options.seed);
    this.impairment = { ...NO_IMPAIRMENT, ...options.impairment };
  }

  /** Drops everything for the next `ms` milliseconds, both ways, on every leg. */
  outage(ms: number): void {
    this.outageUntil = Date.now() + ms;
  }

  /**
   * A leg with two fresh sockets on `host` (127.0.0.1 unless the relay runs in a lab router);
   * targets are set as the SDP reveals them.
   */
  async leg(host = '127.0.0.1'): Promise<RelayLeg> {
    const [a, b] = await Promise.all([bind(host), bind(host)]);
    const leg = new RelayLeg(this, a, b);
    this.legs.add(leg);
    return leg;
  }

  async close(): Promise<void> {
    await Promise.all([...this.legs].map((l) => l.close()));
    this.legs.clear();
  }

  /** Decides one datagram's fate and sends it (or not) through `send`. */
  carry(data: Buffer, toward: 'A' | 'B', send: (d: Buffer) => void, held: Held): void {
    this.counters.received++;
    if (Date.now() < this.outageUntil) {
      this.counters.outage++;
      return;
    }
    const imp = this.impairment;
    if (this.random() < imp.loss || this.forceDrop?.(data, toward)) {
      this.counters.lost++;
      return;
    }
    const copies = this.random() < imp.duplicate ? 2 : 1;
    if (copies === 2) this.counters.duplicated++;
    const emit = (d: Buffer): void => {
      let delay = imp.jitterMs > 0 ? this.random() * imp.jitterMs : 0;
      if (imp.rateKbps > 0) {
        // Serialisation at the bottleneck: this datagram leaves when the ones before it have.
        const now = Date.now();
        const start = Math.max(now, held.bottleneck.busyUntil);
        if (start - now > BOTTLENECK_QUEUE_MS) {
          this.counters.queueDrops++;
          return;
        }
        held.bottleneck.busyUntil = start + (d.length * 8) / imp.rateKbps;
        delay += held.bottleneck.busyUntil - now;
      }
      for (let i = 0; i < copies; i++) {
        this.counters.forwarded++;
        if (delay > 0) setTimeout(() => send(d), delay);
        else send(d);
      }
    };
    if (held.packet === undefined && this.random() < imp.reorder) {
      this.counters.reordered++;
      held.packet = data;
      held.timer = setTimeout(() => {
        const p = held.packet;
        held.packet = undefined;
        if (p) emit(p);
      }, REORDER_HOLD_MS);
      return;
    }
    emit(data);
    if (held.packet !== undefined) {
      clearTimeout(held.timer);
      const p = held.packet;
      held.packet = undefined;
      emit(p);
    }
  }
}

/**
 * One stream's relay: `facingA` is the port A sends to (advertised to A as B's), `facingB` the
 * port B sends to. What arrives at one goes out of the other to that side's target port.
 */
export class RelayLeg {
  targetA: number | undefined;
  targetB: number | undefined;
  /** The hosts of each side's target port (loopback unless the SDP names another address). */
  hostA = '127.0.0.1';
  hostB = '127.0.0.1';
  private readonly heldToA: Held = { bottleneck: { busyUntil: 0 } };
  private readonly heldToB: Held = { bottleneck: { busyUntil: 0 } };
  private closed = false;

  constructor(
    relay: UdpRelay,
    private readonly socketFacingA: Socket,
    private readonly socketFacingB: Socket,
  ) {
    socketFacingA.on('message', (data) => {
      const to = this.targetB;
      if (to !== undefined) relay.carry(data, 'B', (d) => this.sendFrom(this.socketFacingB, d, to, this.hostB), this.heldToB);
    });
    socketFacingB.on('message', (data) => {
      const to = this.targetA;
      if (to !== undefined) relay.carry(data, 'A', (d) => this.sendFrom(this.socketFacingA, d, to, this.hostA), this.heldToA);
    });
  }

  get facingA(): number {
    return this.socketFacingA.address().port;
  }

  get facingB(): number {
    return this.socketFacingB.address().port;
  }

  private sendFrom(socket: Socket, data: Buffer, port: number, host: string): void {
    if (this.closed) return;
    socket.send(data, port, host);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.heldToA.timer);
    clearTimeout(this.heldToB.timer);
    await Promise.all([this.socketFacingA, this.socketFacingB].map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

/** A direction's held-back datagram (reordering) and its bottleneck queue. */
interface Held {
  packet?: Buffer;
  timer?: ReturnType<typeof setTimeout>;
  bottleneck: Bottleneck;
}

function bind(host: string): Promise<Socket> {
  const s = createSocket('udp4');
  // An endpoint that closed its port makes the kernel report ICMP errors here: not our problem.
  s.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.bind(0, host, () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}
