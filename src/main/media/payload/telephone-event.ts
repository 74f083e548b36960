// DTMF as RTP events (RFC 4733): payload "event | E R volume | duration" (§2.3). One event is a
// run of packets with the same timestamp and growing duration; the first has the marker bit
// (§2.5.1.2) and the last is sent three times with E set (§2.5.1.4).

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import { readU16, writeU16 } from '../rtp/bytes';
import type { RtpHeader } from '../rtp/header';

export const TELEPHONE_EVENT_PAYLOAD_LENGTH = 4;
/** §2.5.1.4: the end packet is retransmitted, three copies in all. */
export const END_PACKET_COPIES = 3;
const MAX_DURATION = 0xffff;

const DTMF_DIGITS = '0123456789*#ABCD';

/** DTMF event code of a digit (RFC 4733 §3.2, Table 7), or -1. */
export function dtmfEventCode(digit: string): number {
  return digit.length === 1 ? DTMF_DIGITS.indexOf(digit.toUpperCase()) : -1;
}

/** The digit of a DTMF event code, or undefined for codes outside 0-15. */
export function dtmfDigit(event: number): string | undefined {
  return event >= 0 && event < 16 ? DTMF_DIGITS[event] : undefined;
}

/**
 * Sends one event at a time. The caller asks `writeNext` every packet interval and uses `marker`
 * and `timestamp` for the RTP header of the packet just written.
 */
export class TelephoneEventSender {
  readonly clockRate: number;
  /** Timestamp units between packets (50 ms is §2.5.1.2's suggestion; 20 ms matches audio). */
  readonly interval: number;
  marker = false;
  timestamp = 0;
  private event = 0;
  private volume = 0;
  private totalDuration = 0;
  private duration = 0;
  private endCopiesLeft = 0;
  private first = false;

  constructor(clockRate = 8000, intervalMs = 20) {
    this.clockRate = clockRate;
    this.interval = Math.round((clockRate * intervalMs) / 1000);
  }

  /** True while an event still has packets to send. */
  get active(): boolean {
    return this.endCopiesLeft > 0;
  }

  /**
   * Starts an event at RTP timestamp `startTimestamp` lasting `durationMs`; `volume` is the
   * power level in -dBm0 (0-63, §2.3.4). Replaces an event still being sent.
   */
  begin(event: number, durationMs: number, startTimestamp: number, volume = 10): void {
    this.event = event & 0xff;
    this.volume = Math.max(0, Math.min(63, volume));
    this.totalDuration = Math.max(this.interval, Math.min(MAX_DURATION, Math.round((durationMs * this.clockRate) / 1000)));
    this.duration = 0;
    this.timestamp = startTimestamp >>> 0;
    this.endCopiesLeft = END_PACKET_COPIES;
    this.first = true;
  }

  /** Appends the next payload; does nothing when no event is active. */
  writeNext(p: PacketBuffer): PacketBufferError | undefined {
    if (!this.active) return undefined;
    const err = p.ensureTailroom(TELEPHONE_EVENT_PAYLOAD_LENGTH);
    if (err) return err;
    let end = false;
    if (this.duration < this.totalDuration) {
      this.duration = Math.min(this.totalDuration, this.duration + this.interval);
    }
    if (this.duration >= this.totalDuration) {
      end = true;
      this.endCopiesLeft--;
    }
    this.marker = this.first;
    this.first = false;
    const b = p.bytes;
    b[p.end] = this.event;
    b[p.end + 1] = (end ? 0x80 : 0) | this.volume;
    writeU16(b, p.end + 2, this.duration);
    p.end += TELEPHONE_EVENT_PAYLOAD_LENGTH;
    return undefined;
  }
}

/** What one received packet means: each event is reported once as begun and once as ended. */
export type TelephoneEventVerdict = 'begin' | 'end' | 'begin-end' | 'repeat' | 'malformed';

/** Receives events, deduplicating by RTP timestamp (§2.5.2: one event per timestamp). */
export class TelephoneEventReceiver {
  event = 0;
  volume = 0;
  duration = 0;
  timestamp = 0;
  private seen = false;
  private ended = false;

  push(bytes: Uint8Array, h: RtpHeader): TelephoneEventVerdict {
    if (h.payloadEnd - h.payloadStart < TELEPHONE_EVENT_PAYLOAD_LENGTH) return 'malformed';
    const pos = h.payloadStart;
    const end = (bytes[pos + 1] & 0x80) !== 0;
    const isNew = !this.seen || h.timestamp !== this.timestamp;
    if (isNew) {
      this.seen = true;
      this.ended = false;
      this.timestamp = h.timestamp;
    } else if (this.ended || (!end && readU16(bytes, pos + 2) < this.duration)) {
      // A retransmitted end packet or a reordered update: nothing new.
      return 'repeat';
    }
    this.event = bytes[pos];
    this.volume = bytes[pos + 1] & 0x3f;
    this.duration = readU16(bytes, pos + 2);
    if (end) this.ended = true;
    if (isNew) return end ? 'begin-end' : 'begin';
    return end ? 'end' : 'repeat';
  }
}
