// How late packets are, from their transit times (arrival time − media time, ms), for the audio
// jitter buffer (issue 24):
// - `baseTransitMs`, the playout base: the fastest transit among the last `baseWindow` packets.
//   It follows the stream when the whole stream shifts (a sender that stalled and carries on
//   later, clock drift) instead of taking every later packet for a late one.
// - each packet's lateness: its transit minus the fastest of the `settle` packets that arrive
//   after it. A packet overtaken or delayed by jitter is late against its successors; a stream
//   that shifted as a whole is not. A lost packet adds nothing. Packets that arrive together
//   (within a millisecond: a backlog released at once by a stalled sender, router or our own
//   event loop) are one event, judged by the first of them: one stall is not many late packets.
//   A packet the caller marks as read late by its own stalled thread is not judged either (a
//   deeper buffer does not help when playout stalls with the reading).
// - the lateness of the last `size` packets as a histogram of 1 ms bins, from which the jitter
//   buffer reads the delay that would have let a given share of them play on time; a burst of
//   lateness leaves the window after `size` packets and the delay can fall again.
// Fixed memory: rings and histogram are allocated once; nothing per packet.

/** Packets arriving closer together than this came in one burst. */
const BURST_MS = 1;

export class LatenessWindow {
  /** Fastest transit among the last `baseWindow` packets (ms): the playout base. */
  baseTransitMs = 0;
  /** Transits of the last `baseWindow` packets, oldest at `baseNext` once full. */
  private readonly recent: Float64Array;
  /** Arrival times of the same packets. */
  private readonly arrivals: Float64Array;
  /** 1 where the arrival time is the packet's own (not read late by a stalled receiver). */
  private readonly trusted: Uint8Array;
  private recentCount = 0;
  private baseNext = 0;
  /** Latenesses of the last `size` judged packets, oldest at `next` once full. */
  private readonly latenesses: Int32Array;
  /** `bins[k]`: packets in the window whose lateness rounds up to k ms (the last bin: at least that). */
  private readonly bins: Int32Array;
  private count = 0;
  private next = 0;

  constructor(
    readonly size: number,
    /** Lateness beyond this (ms) counts as this much: the largest delay the reader can use. */
    readonly maxMs: number,
    /** How many later arrivals a packet's lateness is judged against. */
    readonly settle = 8,
    /** How many recent packets the playout base is the fastest of. */
    readonly baseWindow = 50,
  ) {
    this.recent = new Float64Array(Math.max(baseWindow, settle + 2));
    this.arrivals = new Float64Array(this.recent.length);
    this.trusted = new Uint8Array(this.recent.length);
    this.latenesses = new Int32Array(size);
    this.bins = new Int32Array(Math.ceil(maxMs) + 1);
  }

  /** Packets whose lateness is in the window. */
  get length(): number {
    return this.count;
  }

  /** Empties the window; `transitMs` (the first packet's) becomes the playout base. */
  reset(transitMs: number): void {
    this.count = 0;
    this.next = 0;
    this.recentCount = 0;
    this.baseNext = 0;
    this.bins.fill(0);
    this.baseTransitMs = transitMs;
  }

  /**
   * A packet arrived at `arrivalMs` with transit `transitMs` (arrival − media time); `trusted`
   * false: the receiver was stalled, its arrival time is when it was read, not when it came.
   */
  add(transitMs: number, arrivalMs: number, trusted = true): void {
    const ring = this.recent;
    const n = ring.length;
    ring[this.baseNext] = transitMs;
    this.arrivals[this.baseNext] = arrivalMs;
    this.trusted[this.baseNext] = trusted ? 1 : 0;
    this.baseNext = (this.baseNext + 1) % n;
    if (this.recentCount < n) this.recentCount++;
    // The packet `settle` arrivals ago is judged now, against the fastest since, unless it came
    // right behind the one before it (a burst, judged by its first packet).
    const judged = (this.baseNext - 1 - this.settle + n) % n;
    if (this.recentCount > this.settle && this.trusted[judged] === 1 && (this.recentCount === this.settle + 1 || this.arrivals[judged] - this.arrivals[(judged - 1 + n) % n] >= BURST_MS)) {
      let fastest = ring[judged];
      for (let k = 1; k <= this.settle; k++) {
        const v = ring[(judged + k) % n];
        if (v < fastest) fastest = v;
      }
      this.record(Math.ceil(ring[judged] - fastest));
    }
    let base = transitMs;
    const window = this.recentCount < this.baseWindow ? this.recentCount : this.baseWindow;
    for (let k = 1; k < window; k++) {
      const v = ring[(this.baseNext - 1 - k + n) % n];
      if (v < base) base = v;
    }
    this.baseTransitMs = base;
  }

  /**
   * The smallest lateness (whole ms) that at least `share` (0..1) of the window's packets were
   * within: the playout delay at which that share would have been on time. 0 when empty.
   */
  quantileMs(share: number): number {
    const allowedAbove = this.count * (1 - share);
    let above = 0;
    for (let k = this.bins.length - 1; k > 0; k--) {
      above += this.bins[k];
      if (above > allowedAbove) return k;
    }
    return 0;
  }

  private record(latenessMs: number): void {
    const bin = latenessMs <= 0 ? 0 : latenessMs >= this.bins.length ? this.bins.length - 1 : latenessMs;
    if (this.count === this.size) this.bins[this.latenesses[this.next]]--;
    else this.count++;
    this.latenesses[this.next] = bin;
    this.next = (this.next + 1) % this.size;
    this.bins[bin]++;
  }
}
