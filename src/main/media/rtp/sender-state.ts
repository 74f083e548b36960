// What an RTP sender keeps per SSRC (RFC 3550 §5.1, §6.4.1): the next sequence number, the
// random timestamp offset, and the packet/octet counts and RTP/wallclock pair that an SR carries.
// RTP timestamps come out as signed 32-bit patterns (`| 0`): the same 32 bits on the wire
// (writeU32 writes either form), but a small integer that V8 passes between functions without
// boxing it, so sending a packet allocates nothing. `>>> 0` shows the unsigned value.

export interface RtpSenderOptions {
  ssrc: number;
  clockRate: number;
  /** Random initial values (RFC 3550 §5.1: "SHOULD be random"); the caller draws them. */
  initialSequenceNumber: number;
  initialTimestamp: number;
}

export class RtpSenderState {
  readonly ssrc: number;
  readonly clockRate: number;
  /** Sequence number the next packet gets. */
  sequenceNumber: number;
  /** Sequence numbers wrapped so far (SRTP's ROC follows the same count). */
  cycles = 0;
  readonly timestampOffset: number;
  packetCount = 0;
  /** Payload octets sent (§6.4.1: header and padding not counted). */
  octetCount = 0;
  /** RTP timestamp of the last packet sent (signed pattern) and the wallclock when it was sent. */
  lastTimestamp = 0;
  lastSendTimeMs = -1;

  constructor(opts: RtpSenderOptions) {
    this.ssrc = opts.ssrc >>> 0;
    this.clockRate = opts.clockRate;
    this.sequenceNumber = opts.initialSequenceNumber & 0xffff;
    this.timestampOffset = opts.initialTimestamp >>> 0;
    this.lastTimestamp = this.timestampOffset | 0;
  }

  /** Returns the sequence number for the packet being sent and advances. */
  takeSequenceNumber(): number {
    const seq = this.sequenceNumber;
    this.sequenceNumber = (seq + 1) & 0xffff;
    if (this.sequenceNumber === 0) this.cycles++;
    return seq;
  }

  /** RTP timestamp (signed pattern) of a media time given in clock-rate units since the stream began. */
  rtpTimestamp(mediaTime: number): number {
    return (this.timestampOffset + mediaTime) | 0;
  }

  /** Records a packet sent now, for the next SR. */
  onPacketSent(payloadLength: number, rtpTimestamp: number, nowMs: number): void {
    this.packetCount = (this.packetCount + 1) >>> 0;
    this.octetCount = (this.octetCount + payloadLength) >>> 0;
    this.lastTimestamp = rtpTimestamp | 0;
    this.lastSendTimeMs = nowMs;
  }

  /**
   * The RTP timestamp matching wallclock `nowMs` for an SR (§6.4.1: "the same time as the NTP
   * timestamp"), extrapolated from the last packet sent. Signed pattern, as above.
   */
  rtpTimestampAt(nowMs: number): number {
    if (this.lastSendTimeMs < 0) return this.lastTimestamp;
    const elapsed = Math.round(((nowMs - this.lastSendTimeMs) * this.clockRate) / 1000);
    return (this.lastTimestamp + elapsed) | 0;
  }
}
