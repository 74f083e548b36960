// Whether a G.711 frame is a pause (silence or background noise between words), from its bytes:
// the receive jitter buffer changes its delay only at such frames in a stream without DTX
// (issue 24), where dropping or repeating one is not heard. A frame's energy is the mean of its
// samples' squares, read from a 256-entry table per law (no decoding, nothing allocated). Quiet
// is below an absolute floor (about −56 dBFS), or near the background noise (within 10 dB of the
// quietest recent frame) while well under the recent speech level (20 dB down), so a pause in a
// noisy room counts and soft speech does not.

import { aLawToLinear, muLawToLinear, type G711Law } from '../g711';

/** Mean square below this (RMS 50 of 32768) is quiet whatever the surroundings. */
const ABSOLUTE_QUIET = 50 * 50;
/** A frame within this factor of the noise floor's energy (10 dB) is background. */
const NEAR_FLOOR = 10;
/** ...if it is also this far under the speech level (20 dB). */
const BELOW_SPEECH = 100;
/** Per frame, the noise floor creeps up (about 1 dB/s at 50 frames/s) so it follows rising noise. */
const FLOOR_RISE = 1.005;
/** Per frame, the speech level decays (about 0.2 dB/s) so it follows a quieter talker. */
const LEVEL_DECAY = 0.999;

const tables = new Map<G711Law, Float64Array>();

/** Each byte's linear sample squared. */
function squaresTable(law: G711Law): Float64Array {
  let t = tables.get(law);
  if (!t) {
    t = new Float64Array(256);
    for (let b = 0; b < 256; b++) {
      const v = law === 'PCMU' ? muLawToLinear(b) : aLawToLinear(b);
      t[b] = v * v;
    }
    tables.set(law, t);
  }
  return t;
}

/** The mean square of the samples `g711[start, end)` (0 for an empty frame). */
export function g711MeanSquare(law: G711Law, g711: Uint8Array, start: number, end: number): number {
  const t = squaresTable(law);
  let sum = 0;
  for (let i = start; i < end; i++) sum += t[g711[i]];
  return end > start ? sum / (end - start) : 0;
}

/** Follows one received stream's levels; `isQuiet` is its jitter buffer's quiet-frame test. */
export class G711QuietDetector {
  readonly law: G711Law;
  private readonly squares: Float64Array;
  /** Energy of the quietest recent frame. */
  private noiseFloor = Infinity;
  /** Energy of the loudest recent frame. */
  private speechLevel = 0;

  constructor(law: G711Law) {
    this.law = law;
    this.squares = squaresTable(law);
  }

  /** Bound once, so the jitter buffer can call it as a plain function. */
  readonly isQuiet = (g711: Uint8Array, start: number, end: number): boolean => {
    if (end <= start) return true;
    let sum = 0;
    for (let i = start; i < end; i++) sum += this.squares[g711[i]];
    const e = sum / (end - start);
    this.noiseFloor = e < this.noiseFloor ? e : this.noiseFloor * FLOOR_RISE;
    this.speechLevel = e > this.speechLevel ? e : this.speechLevel * LEVEL_DECAY;
    return e <= ABSOLUTE_QUIET || (e <= this.noiseFloor * NEAR_FLOOR && e * BELOW_SPEECH <= this.speechLevel);
  };
}
