// Walks a compound RTCP packet (RFC 3550 §6.1) and hands each part, parsed into reusable
// structs, to a handler. A malformed part is counted and the walk stops there (its length can't
// be trusted to find the next one); the parts before it have been delivered.

import { parseBye, createBye } from './bye';
import type { Bye } from './bye';
import { createFeedbackHeader, FMT_FIR, FMT_NACK, FMT_PLI, parseFeedback } from './feedback';
import type { FeedbackHeader } from './feedback';
import {
  createRtcpPacketView,
  readRtcpPacket,
  RTCP_BYE,
  RTCP_PSFB,
  RTCP_RR,
  RTCP_RTPFB,
  RTCP_SDES,
  RTCP_SR,
} from './header';
import type { RtcpPacketView, RtcpParseError } from './header';
import { createRtcpReport, parseRtcpReport } from './reports';
import type { RtcpReport } from './reports';
import { createSdes, parseSdes } from './sdes';
import type { Sdes } from './sdes';

/** Called with structs owned by the parser: copy what you keep, they are reused. */
export interface RtcpHandler {
  onReport?(report: RtcpReport, bytes: Uint8Array): void;
  onSdes?(sdes: Sdes, bytes: Uint8Array): void;
  onBye?(bye: Bye, bytes: Uint8Array): void;
  onNack?(feedback: FeedbackHeader, bytes: Uint8Array): void;
  onPli?(feedback: FeedbackHeader, bytes: Uint8Array): void;
  onFir?(feedback: FeedbackHeader, bytes: Uint8Array): void;
  /** Any other packet type or FMT (APP, REMB, XR, ...): skipped unless handled here. */
  onOther?(view: RtcpPacketView, bytes: Uint8Array): void;
}

export interface RtcpParseResult {
  /** Parts delivered to the handler or skipped as unknown. */
  packets: number;
  error: RtcpParseError | undefined;
}

export class RtcpCompoundParser {
  private readonly view = createRtcpPacketView();
  private readonly report = createRtcpReport();
  private readonly sdes = createSdes();
  private readonly bye = createBye();
  private readonly feedback = createFeedbackHeader();
  private readonly result: RtcpParseResult = { packets: 0, error: undefined };

  /** Parses `bytes[start, end)`; the returned object is reused by the next call. */
  parse(bytes: Uint8Array, start: number, end: number, handler: RtcpHandler): RtcpParseResult {
    const r = this.result;
    r.packets = 0;
    r.error = undefined;
    const v = this.view;
    let pos = start;
    if (end - start < 4) {
      r.error = 'too-short';
      return r;
    }
    while (pos < end) {
      const err = readRtcpPacket(bytes, pos, end, v) ?? this.dispatch(bytes, v, handler);
      if (err) {
        r.error = err;
        return r;
      }
      r.packets++;
      // Padding is allowed only on the last packet of a compound (RFC 3550 §6.4.1, A.2).
      if (v.padding && v.end !== end) {
        r.error = 'bad-padding';
        return r;
      }
      pos = v.end;
    }
    return r;
  }

  private dispatch(bytes: Uint8Array, v: RtcpPacketView, h: RtcpHandler): RtcpParseError | undefined {
    switch (v.packetType) {
      case RTCP_SR:
      case RTCP_RR: {
        const err = parseRtcpReport(bytes, v, this.report);
        if (!err) h.onReport?.(this.report, bytes);
        return err;
      }
      case RTCP_SDES: {
        const err = parseSdes(bytes, v, this.sdes);
        if (!err) h.onSdes?.(this.sdes, bytes);
        return err;
      }
      case RTCP_BYE: {
        const err = parseBye(bytes, v, this.bye);
        if (!err) h.onBye?.(this.bye, bytes);
        return err;
      }
      case RTCP_RTPFB:
      case RTCP_PSFB: {
        const err = parseFeedback(bytes, v, this.feedback);
        if (err) return err;
        const fb = this.feedback;
        if (v.packetType === RTCP_RTPFB && fb.fmt === FMT_NACK) h.onNack?.(fb, bytes);
        else if (v.packetType === RTCP_PSFB && fb.fmt === FMT_PLI) h.onPli?.(fb, bytes);
        else if (v.packetType === RTCP_PSFB && fb.fmt === FMT_FIR) h.onFir?.(fb, bytes);
        else h.onOther?.(v, bytes);
        return undefined;
      }
      default:
        h.onOther?.(v, bytes);
        return undefined;
    }
  }
}
