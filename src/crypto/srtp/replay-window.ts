// Replay protection (RFC 3711 §3.3.2): a sliding window of received indices behind the highest
// authenticated one. Check first, and mark only once the packet has authenticated.

export const DEFAULT_REPLAY_WINDOW = 128;

export type ReplayCheck = 'fresh' | 'replayed' | 'too-old';

export class ReplayWindow {
  readonly size: number;
  /** Highest index accepted so far, or -1 before the first. */
  private top = -1;
  /** seen[i % size] says whether index i (within the window) was accepted. */
  private readonly seen: Uint8Array;

  constructor(size = DEFAULT_REPLAY_WINDOW) {
    if (!Number.isInteger(size) || size < 1 || size > 0x8000) throw new RangeError(`replay window size must be in [1, 32768], got ${size}`);
    this.size = size;
    this.seen = new Uint8Array(size);
  }

  get highest(): number {
    return this.top;
  }

  check(index: number): ReplayCheck {
    if (index > this.top) return 'fresh';
    if (this.top - index >= this.size) return 'too-old';
    return this.seen[index % this.size] ? 'replayed' : 'fresh';
  }

  /** Marks `index` as received; call only after the packet authenticated and passed `check`. */
  accept(index: number): void {
    if (index > this.top) {
      if (this.top < 0 || index - this.top >= this.size) {
        this.seen.fill(0);
      } else {
        for (let i = this.top + 1; i < index; i++) this.seen[i % this.size] = 0;
      }
      this.top = index;
    }
    this.seen[index % this.size] = 1;
  }
}
