// Moving packet bytes to and from node:crypto without a JS object per packet (issue 23).
//
// node:crypto takes its input as a whole ArrayBufferView: a region of a packet would need a
// `subarray()` per call (96 bytes of heap each on Node 20). And element access to a packet is slow
// on Node 20: PacketBuffer's memory is a resizable ArrayBuffer, whose views TurboFan reads and
// writes about 3x slower than plain ones. So a packet region is copied, natively, into a plain
// scratch buffer with `Buffer.prototype.fill`, which copies its value's bytes to
// [offset, end) of the target with one memcpy and takes no view of anything:
//   - in:  scratch.fill(data, at - start, at - start + end) copies data[0, end) so that
//          data[start] lands at scratch[at] (the bytes in front of `start` come along: a few
//          dozen header bytes, cheaper than a view object);
//   - out: fill.call(data, tail, start, end) copies scratch[at, at + end - start) back, where
//          `tail` is one view of the scratch from `at` to its end, made once.
// What node:crypto reads (a hash's message, a cipher's input) is then an exact-length view of the
// scratch, made once per length and kept: a stream's packets have few distinct lengths.

const nativeFill = Buffer.prototype.fill;

/** Above this many bytes a view is made for the call and not kept (a jumbo packet is rare). */
const MAX_KEPT_VIEW = 2048;

export class PacketScratch {
  /** Plain memory; its byteOffset is 0 (Buffer.alloc never pools). */
  bytes = Buffer.alloc(0);
  /** The same memory as 32-bit words; `at` is a multiple of 16, so word-aligned. */
  words = new Int32Array(0);
  /** Where data[start] lands. */
  at = 0;
  private tail = new Uint8Array(0);
  private views: (Uint8Array | undefined)[] = [];
  private viewsBefore: (Uint8Array | undefined)[] = [];

  /**
   * @param front bytes the caller keeps in front of `at` (HMAC's inner pad block)
   * @param back bytes the caller may use behind the packet (ROC, GCM tag)
   * @param viewOffset where `view(n)` starts, relative to `at`
   */
  constructor(
    private readonly front: number,
    private readonly back: number,
    private readonly viewOffset: number,
  ) {
    this.layout(0, 1500);
  }

  /**
   * Copies data[start, end) to bytes[at, at + end - start). bytes[at - front, at) may be
   * overwritten with what precedes `start` in data: a caller that keeps something there restores it.
   */
  load(data: Uint8Array, start: number, end: number): number {
    if (start > this.at || this.at + (end - start) + this.back > this.bytes.length) this.layout(start, end - start);
    const offset = this.at - start;
    this.bytes.fill(data, offset, offset + end);
    return this.at;
  }

  /** Copies bytes[at, at + end - start) to data[start, end). */
  store(data: Uint8Array, start: number, end: number): void {
    nativeFill.call(data, this.tail, start, end);
  }

  /** bytes[at + viewOffset, at + viewOffset + length) as a view kept for the next call. */
  view(length: number): Uint8Array {
    let v = this.views[length];
    if (v === undefined) {
      v = new Uint8Array(this.bytes.buffer, this.at + this.viewOffset, length);
      if (length <= MAX_KEPT_VIEW) this.views[length] = v;
    }
    return v;
  }

  /** bytes[at - length, at): what preceded `start` in the packet last loaded (e.g. an AAD). */
  viewBefore(length: number): Uint8Array {
    let v = this.viewsBefore[length];
    if (v === undefined) {
      v = new Uint8Array(this.bytes.buffer, this.at - length, length);
      if (length <= MAX_KEPT_VIEW) this.viewsBefore[length] = v;
    }
    return v;
  }

  /** Grows so that a packet starting at `start` with `length` bytes fits; forgets kept views. */
  private layout(start: number, length: number): void {
    const at = Math.max(this.at, roundUp16(start), roundUp16(this.front), 256);
    const size = Math.max(this.bytes.length, at + length + this.back);
    if (at === this.at && size === this.bytes.length) return;
    const previous = this.bytes;
    this.at = at;
    this.bytes = Buffer.alloc(roundUp16(size));
    this.words = new Int32Array(this.bytes.buffer, 0, this.bytes.length >>> 2);
    this.tail = new Uint8Array(this.bytes.buffer, at);
    this.views = [];
    this.viewsBefore = [];
    previous.fill(0);
  }

  dispose(): void {
    this.bytes.fill(0);
  }
}

function roundUp16(n: number): number {
  return (n + 15) & ~15;
}
