// What a person hears, from a reference signal and the far side's recording of it (issue 24's
// measure, 8 kHz mono): where the reference sits in the recording (cross-correlation: the
// mouth-to-ear delay when both start at the call's connect), and the share of "bad" 20 ms frames:
// frames where the reference has speech and the recording is silent there, or its normalised
// correlation with the reference is below 0.5. A playout buffer that moves its delay (between
// talk spurts, or by stretching at a concealed hole) shifts the alignment; the shift is not damage
// a person hears beyond the frame where it happens, so the alignment is tracked: each frame is
// compared at its best offset within ±LOCAL_SEARCH_MS of the previous good frame's (small, so a
// concealed frame cannot pass by matching the speech it copied a pitch period earlier); failing
// that, the frame is bad, and the track re-locks within ±RELOCK_SEARCH_MS at a stricter
// correlation if the next speech frame confirms the new offset (the jump is heard there once). The mouth-to-ear delay is the median of the tracked
// offsets (what a person waits, most of the time).

export const RATE = 8000;
export const FRAME = 160; // 20 ms at 8 kHz
/** How far a frame may sit from the previous good frame's offset (sub-pitch-period). */
export const LOCAL_SEARCH_MS = 2;
/** Below this normalised correlation a speech frame is bad (the threshold). */
export const BAD_CORRELATION = 0.5;
/** A larger jump of the playout delay (a jitter buffer's resync) is found again within this. */
export const RELOCK_SEARCH_MS = 250;
/** ...but only at this correlation, so a far offset is not taken by chance. */
export const RELOCK_CORRELATION = 0.8;

function energy(x: Int16Array | Float64Array, start: number, n: number): number {
  let e = 0;
  for (let i = start; i < start + n; i++) e += x[i] * x[i];
  return e;
}

/** Mean of every `factor` samples (a crude low-pass and decimation for the coarse search). */
function decimate(x: Int16Array, factor: number): Float64Array {
  const out = new Float64Array(Math.floor(x.length / factor));
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let j = 0; j < factor; j++) s += x[i * factor + j];
    out[i] = s / factor;
  }
  return out;
}

function correlationAt(ref: Int16Array | Float64Array, rec: Int16Array | Float64Array, lag: number, refStart: number, n: number): number {
  let dot = 0;
  let er = 0;
  let ex = 0;
  for (let i = refStart; i < refStart + n; i++) {
    const j = i + lag;
    if (j < 0 || j >= rec.length) continue;
    dot += ref[i] * rec[j];
    er += ref[i] * ref[i];
    ex += rec[j] * rec[j];
  }
  return er > 0 && ex > 0 ? dot / Math.sqrt(er * ex) : 0;
}

/**
 * The lag (samples, ≥ 0) at which the reference best matches the recording, searched over
 * 0..maxLag: coarse at 1 kHz, then refined sample by sample.
 */
export function alignmentLag(ref: Int16Array, rec: Int16Array, maxLag: number): number {
  const factor = 8;
  const r = decimate(ref, factor);
  const x = decimate(rec, factor);
  const span = Math.min(r.length, 4 * RATE / factor);
  let best = 0;
  let bestC = -Infinity;
  for (let lag = 0; lag <= maxLag / factor; lag++) {
    const c = correlationAt(r, x, lag, 0, span);
    if (c > bestC) {
      bestC = c;
      best = lag;
    }
  }
  let fine = best * factor;
  bestC = -Infinity;
  const n = Math.min(ref.length, 4 * RATE);
  for (let lag = Math.max(0, best * factor - 2 * factor); lag <= best * factor + 2 * factor; lag++) {
    const c = correlationAt(ref, rec, lag, 0, n);
    if (c > bestC) {
      bestC = c;
      fine = lag;
    }
  }
  return fine;
}

export interface SpeechQuality {
  /** Mouth-to-ear delay: the median position of the reference's speech in the recording, ms. */
  mouthToEarMs: number;
  /** Where the whole reference matches best (the start of the tracking), ms. */
  globalLagMs: number;
  speechFrames: number;
  badFrames: number;
  badFramesPct: number;
}

/** The offset in [center − radius, center + radius] where frame `start` correlates best. */
function bestOffset(ref: Int16Array, rec: Int16Array, start: number, center: number, radius: number): { lag: number; c: number } {
  let lag = center;
  let c = -Infinity;
  for (let d = -radius; d <= radius; d++) {
    const j = start + center + d;
    if (j < 0 || j + FRAME > rec.length) continue;
    const x = correlationAt(ref, rec, center + d, start, FRAME);
    if (x > c) {
      c = x;
      lag = center + d;
    }
  }
  return { lag, c };
}

/**
 * Compares one pass of `ref` with `rec`. Speech frames are those whose energy is above 1 % of the
 * reference's mean frame energy over its active frames (about −20 dB): silence between words is
 * not judged.
 */
export function speechQuality(ref: Int16Array, rec: Int16Array, maxLagMs = 2000): SpeechQuality {
  const global = alignmentLag(ref, rec, Math.round((maxLagMs * RATE) / 1000));
  const frames = Math.floor(ref.length / FRAME);
  const energies = Array.from({ length: frames }, (_, f) => energy(ref, f * FRAME, FRAME));
  const active = energies.filter((e) => e > 0);
  const mean = active.reduce((a, b) => a + b, 0) / Math.max(1, active.length);
  const near = Math.round((LOCAL_SEARCH_MS * RATE) / 1000);
  const far = Math.round((RELOCK_SEARCH_MS * RATE) / 1000);
  let track = global;
  const lags: number[] = [];
  let speechFrames = 0;
  let badFrames = 0;
  for (let f = 0; f < frames; f++) {
    if (energies[f] <= 0.01 * mean) continue;
    speechFrames++;
    const start = f * FRAME;
    const best = bestOffset(ref, rec, start, track, near);
    const at = Math.min(Math.max(0, start + best.lag), Math.max(0, rec.length - FRAME));
    const silent = rec.length < FRAME || energy(rec, at, FRAME) < 1e-4 * energies[f];
    if (!silent && best.c >= BAD_CORRELATION) {
      track = best.lag;
      lags.push(best.lag);
      continue;
    }
    badFrames++;
    const relock = bestOffset(ref, rec, start, track, far);
    if (relock.c < RELOCK_CORRELATION) continue;
    // Move only if the next speech frame agrees: a concealed frame repeats what was just played,
    // so it matches the reference a pitch period or a frame earlier; following it would cost the
    // next (good) frame too.
    let g = f + 1;
    while (g < frames && energies[g] <= 0.01 * mean) g++;
    if (g >= frames) continue;
    const stay = bestOffset(ref, rec, g * FRAME, track, near);
    const move = bestOffset(ref, rec, g * FRAME, relock.lag, near);
    if (stay.c < BAD_CORRELATION && move.c >= BAD_CORRELATION) track = relock.lag;
  }
  lags.sort((a, b) => a - b);
  const median = lags.length ? lags[Math.floor(lags.length / 2)] : global;
  return {
    mouthToEarMs: (median * 1000) / RATE,
    globalLagMs: (global * 1000) / RATE,
    speechFrames,
    badFrames,
    badFramesPct: speechFrames ? (100 * badFrames) / speechFrames : 0,
  };
}
