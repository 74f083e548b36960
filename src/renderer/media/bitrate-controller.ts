// The encoder's target bitrate follows packet loss, as the loss-based controller of Google
// Congestion Control does (draft-ietf-rmcat-gcc-02 §6): above 10 % loss cut by half the loss
// fraction, below 2 % grow by 5 %, in between hold. Bounded, and grows at most once per interval
// so one good report after a bad burst does not undo the cut.
// It also backs off on delay, as GCC's delay-based controller does (§5.5: decrease to 0.85 of the
// rate on overuse) with RTCP's round-trip time as the signal: when the smoothed RTT has risen more
// than `rttRiseMs` over the smallest RTT of the recent window, a queue is building at a
// bottleneck; cut (at most once per `decreaseIntervalMs`) and do not grow until it drains. That
// way a narrow link gives a smaller picture before it gives loss and freezes.
export interface BitrateControllerOptions {
  minBps: number;
  maxBps: number;
  startBps: number;
  /** Shortest time between two increases, ms. */
  increaseIntervalMs?: number;
  /** Queueing delay (smoothed RTT above its recent minimum) that counts as overuse, ms. */
  rttRiseMs?: number;
  /** Shortest time between two delay-based decreases, ms (RTT reports lag the change). */
  decreaseIntervalMs?: number;
  /** How long the minimum RTT is remembered, ms (a route change may raise it for good). */
  rttWindowMs?: number;
}

export interface BitrateController {
  readonly bitrate: number;
  /** Smoothed round-trip time, ms (0 before the first report). */
  readonly smoothedRttMs: number;
  /** Feeds one report (loss fraction 0..1, round trip in ms; 0 = none yet) at `nowMs`; returns the new target. */
  update(fractionLost: number, nowMs: number, rttMs?: number): number;
}

export const LOSS_HIGH = 0.1;
export const LOSS_LOW = 0.02;
/** GCC's multiplicative decrease on overuse (draft-ietf-rmcat-gcc-02 §5.5, beta). */
export const DELAY_BACKOFF = 0.85;
/** Weight of a new RTT sample in the smoothed RTT (RFC 6298 §2 uses 1/8 for one sample per RTT; RTCP reports are seconds apart). */
const RTT_GAIN = 1 / 4;

export function createBitrateController({
  minBps,
  maxBps,
  startBps,
  increaseIntervalMs = 1000,
  rttRiseMs = 50,
  decreaseIntervalMs = 1000,
  rttWindowMs = 30_000,
}: BitrateControllerOptions): BitrateController {
  const clamp = (v: number) => Math.round(Math.min(maxBps, Math.max(minBps, v)));
  let bitrate = clamp(startBps);
  let lastIncrease = -Infinity;
  let lastDecrease = -Infinity;
  let smoothedRtt = 0;
  const rttSamples: { at: number; rtt: number }[] = [];

  /** True when the smoothed RTT stands more than rttRiseMs above the window's minimum. */
  function delayOveruse(rttMs: number, nowMs: number): boolean {
    if (!(rttMs > 0) || !Number.isFinite(rttMs)) return smoothedRtt > 0 && smoothedRtt - minRtt() > rttRiseMs;
    smoothedRtt = smoothedRtt === 0 ? rttMs : smoothedRtt + RTT_GAIN * (rttMs - smoothedRtt);
    rttSamples.push({ at: nowMs, rtt: rttMs });
    while (rttSamples.length > 1 && nowMs - rttSamples[0].at > rttWindowMs) rttSamples.shift();
    return smoothedRtt - minRtt() > rttRiseMs;
  }

  function minRtt(): number {
    let m = Infinity;
    for (const s of rttSamples) m = Math.min(m, s.rtt);
    return m;
  }

  return {
    get bitrate() {
      return bitrate;
    },
    get smoothedRttMs() {
      return smoothedRtt;
    },
    update(fractionLost, nowMs, rttMs = 0) {
      const loss = Number.isFinite(fractionLost) ? Math.min(1, Math.max(0, fractionLost)) : 0;
      const overuse = delayOveruse(rttMs, nowMs);
      if (overuse && nowMs - lastDecrease >= decreaseIntervalMs) {
        bitrate = clamp(bitrate * DELAY_BACKOFF);
        lastDecrease = nowMs;
      }
      if (loss > LOSS_HIGH) {
        bitrate = clamp(bitrate * (1 - 0.5 * loss));
      } else if (!overuse && loss < LOSS_LOW && nowMs - lastIncrease >= increaseIntervalMs) {
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
