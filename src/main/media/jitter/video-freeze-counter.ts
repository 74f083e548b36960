// Counts video freezes as the receiver sees them: frames stopped reaching the decoder for longer
// than a threshold (200 ms, the bench's definition, issue 24) while packets kept arriving, i.e.
// frames were lost or discarded until a keyframe. A pause of the sender (camera off, hold) sends
// no packets and is not a freeze. The clock is the caller's.

export const VIDEO_FREEZE_MS = 200;

export class VideoFreezeCounter {
  freezes = 0;
  /** Time spent frozen, summed over the freezes, ms. */
  frozenMs = 0;
  private lastFrameMs = -1;
  private packetsSinceFrame = 0;

  constructor(readonly thresholdMs = VIDEO_FREEZE_MS) {}

  /** A video packet arrived. */
  packet(): void {
    this.packetsSinceFrame++;
  }

  /** A frame went to the decoder at `nowMs`. */
  frame(nowMs: number): void {
    const gap = nowMs - this.lastFrameMs;
    // More than the frame's own packet came in during the gap.
    if (this.lastFrameMs >= 0 && gap > this.thresholdMs && this.packetsSinceFrame > 1) {
      this.freezes++;
      this.frozenMs += gap;
    }
    this.lastFrameMs = nowMs;
    this.packetsSinceFrame = 0;
  }
}
