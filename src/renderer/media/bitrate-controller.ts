// The encoder's target bitrate follows packet loss, as the loss-based controller of Google
// Congestion Control does (draft-ietf-rmcat-gcc-02 §6): above 10 % loss cut by half the loss
// fraction, below 2 % grow by 5 %, in between hold. Bounded, and grows at most once per interval
// so one good report after a bad burst does not undo the cut.
export interface BitrateControllerOptions {
  minBps: number;
  maxBps: number;
  startBps: number;
  /** Shortest time between two increases, ms. */
  increaseIntervalMs?: number;
}

export interface BitrateController {
  readonly bitrate: number;
  /** Feeds one loss report (fraction 0..1) at `nowMs`; returns the new target. */
  update(fractionLost: number, nowMs: number): number;
}

export const LOSS_HIGH = 0.1;
export const LOSS_LOW = 0.02;

export function createBitrateController({ minBps, maxBps, startBps, increaseIntervalMs = 1000 }: BitrateControllerOptions): BitrateController {
  const clamp = (v: number) => Math.round(Math.min(maxBps, Math.max(minBps, v)));
  let bitrate = clamp(startBps);
  let lastIncrease = -Infinity;
  return {
    get bitrate() {
      return bitrate;
    },
    update(fractionLost, nowMs) {
      const loss = Number.isFinite(fractionLost) ? Math.min(1, Math.max(0, fractionLost)) : 0;
      if (loss > LOSS_HIGH) {
        bitrate = clamp(bitrate * (1 - 0.5 * loss));
      } else if (loss < LOSS_LOW && nowMs - lastIncrease >= increaseIntervalMs) {
        bitrate = clamp(bitrate * 1.05);
        lastIncrease = nowMs;
      }
      return bitrate;
    },
  };
}

/** Whether a change is worth reconfiguring the encoder for (reconfiguring costs a keyframe on some encoders). */
export function significantChange(from: number, to: number, ratio = 0.05): boolean {
  return from <= 0 ? to > 0 : Math.abs(to - from) / from >= ratio;
}
