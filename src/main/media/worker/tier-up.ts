// A call's packet code is compiled by V8's optimizing compiler within seconds, not minutes (issue 23).
//
// V8 optimizes a function once it has run (3 + bytecode size / 150) x --interrupt-budget bytes of
// its bytecode (Node 20: 66 KB). The media path runs 50 to 150 times a second, a few hundred
// bytecodes per function each time, so a call's send and receive handlers were still interpreted
// or in baseline code (an inline-cache stub per property access) after a minute of call; profiled,
// that was most of an audio call's CPU. A 4 KB budget gets them optimized in the first seconds of
// media: measured side by side on one machine, an audio call costs ~0.8x the CPU it did (8 KB
// ~0.88x, 16 KB no better over 16 s once its extra compiles are counted, 1-2 KB no better than 4).
//
// The flag is the process's (V8 has one per process); it is set when a call's first stream starts
// sending, not at load, so an idle process and a spare worker's warm-up compile as before. Main's
// code does little per second during a call, so the lower budget costs it nothing measurable.
// Setting it again is harmless; V8 reads it whenever a function's budget is refilled.

import { setFlagsFromString } from 'node:v8';

/** Bytes of bytecode a function runs between two tier-up checks (V8 --interrupt-budget). */
export const MEDIA_INTERRUPT_BUDGET = 4096;

let lowered = false;

/** From now on, hot functions of this process tier up to optimized code sooner. */
export function tierUpMediaPath(): void {
  if (lowered) return;
  lowered = true;
  setFlagsFromString(`--interrupt-budget=${MEDIA_INTERRUPT_BUDGET}`);
}
