// The media worker's clocks, read once or more per packet without allocating.
//
// Why not performance.now() or Date.now(): on Node 20 each read returns a fresh heap number
// (16 bytes), and a fractional millisecond passed to a function V8 did not inline is boxed again.
// process.hrtime.bigint() written straight into a BigUint64Array is lowered by the optimizing
// compiler to a 64-bit store, with no BigInt on the heap; its two 32-bit halves give the time.
// That lowering needs hrtime.bigint inlined into the reading function, which V8 skips once a
// large caller (a whole packet handler) has spent its inlining budget: the BigInt then comes back
// on the heap. So the reading stays out of line, in a small function of its own, and the call
// site that reaches it is made megamorphic at load (two different readers) so that V8 never
// inlines it into a caller. It returns whole milliseconds since this module loaded: a small
// integer (a V8 Smi for 24 days) that crosses calls unboxed. webrtc's receive statistics run on
// the same resolution. bench/pipeline-alloc.mjs checks the result: 0 bytes per packet.
//
// The wall clock for RTCP's NTP timestamps (RFC 3550 §4) is the monotonic clock plus the offset
// read once at load: an SR's NTP/RTP pair only needs to advance with media time, and a
// wall-clock step during a call must not bend RTT or jitter figures.

import { NTP_UNIX_OFFSET_SECONDS } from '../rtcp/ntp';

const nanos = new BigUint64Array(1);
const words = new Uint32Array(nanos.buffer);
/** Index of the low 32-bit word in `words` (every platform Node runs media on is little-endian). */
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH = 1 - LOW;
const hrtimeNs = process.hrtime.bigint;

function readNs(): number {
  nanos[0] = hrtimeNs();
  return words[HIGH] * 4294967296 + words[LOW];
}

const ORIGIN_NS = readNs();
/** Unix time in ms at ORIGIN_NS: the wall clock is the monotonic clock plus this. */
const UNIX_MS_AT_ORIGIN = Date.now();

/** The out-of-line readers (see above); two functions, so that one call site sees two targets. */
const readers = [
  function elapsedMs(): number {
    nanos[0] = hrtimeNs();
    return Math.floor((words[HIGH] * 4294967296 + words[LOW] - ORIGIN_NS) / 1e6);
  },
  function elapsedMsAtLoad(): number {
    return Math.floor((readNs() - ORIGIN_NS) / 1e6);
  },
];
let reader = readers[1];

/** Whole milliseconds since the worker's clock started (monotonic, never steps). */
export function monotonicMs(): number {
  return reader();
}

// Both readers through the one call site: its feedback turns megamorphic and stays so.
monotonicMs();
reader = readers[0];
monotonicMs();


/** An NTP timestamp's two words (RFC 3550 §4), filled in place. */
export interface NtpTime {
  seconds: number;
  fraction: number;
}

/**
 * The current wall-clock time as NTP seconds and fraction (era 0), in `out`: one call per SR,
 * nothing allocated. Millisecond resolution, like the clock it comes from (RTT to the ms).
 */
export function ntpNow(out: NtpTime): NtpTime {
  const unixMs = UNIX_MS_AT_ORIGIN + monotonicMs();
  const unixSeconds = Math.floor(unixMs / 1000);
  out.seconds = (unixSeconds + NTP_UNIX_OFFSET_SECONDS) >>> 0;
  out.fraction = Math.floor(((unixMs - unixSeconds * 1000) * 4294967296) / 1000) >>> 0;
  return out;
}
