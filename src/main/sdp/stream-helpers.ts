// Pieces shared by answering an offer and applying an answer: endpoints, feedback, DTMF.
import { formatFeedback } from './build-media';
import { isTelephoneEvent } from './codecs';
import type { CryptoAttribute } from './crypto-attribute';
import type { LocalStreamConfig } from './local-config';
import { mediaConnection, rtcpAddress, type PayloadFormat, type RtcpFeedback } from './media-view';
import type { ActiveStream, ClosedStream } from './negotiated';
import type { MediaDescription, SessionDescription } from './types';

export function localRtcpPort(stream: LocalStreamConfig, mux: boolean): number {
  return mux ? stream.port : (stream.rtcpPort ?? stream.port + 1);
}

export function remoteEndpoint(sdp: SessionDescription, m: MediaDescription, mux: boolean): ActiveStream['remote'] | undefined {
  const address = mediaConnection(sdp, m)?.address;
  if (!address) return undefined;
  if (mux) return { address, rtpPort: m.port, rtcpAddress: address, rtcpPort: m.port };
  const rtcp = rtcpAddress(sdp, m);
  return { address, rtpPort: m.port, rtcpAddress: rtcp.address ?? address, rtcpPort: rtcp.port };
}

export function sharedFeedback(ours: readonly string[] | undefined, theirs: readonly RtcpFeedback[]): RtcpFeedback[] {
  return (ours ?? []).map(formatFeedback).filter((fb) => theirs.some((t) => t.type === fb.type && t.parameters === fb.parameters));
}

/**
 * telephone-event at the preferred codec's clock rate (RFC 4733 §2.1 uses the audio clock), else
 * any agreed one: baresip pairs Opus with telephone-event/8000 and expects DTMF there.
 */
export function pickTelephoneEvent(formats: readonly PayloadFormat[], media: readonly PayloadFormat[]): ActiveStream['telephoneEvent'] {
  const rate = media[0]?.clockRate;
  const te = formats.find((f) => isTelephoneEvent(f) && f.clockRate === rate) ?? formats.find(isTelephoneEvent);
  return te ? { payloadType: te.payloadType, clockRate: te.clockRate } : undefined;
}

export function closed(index: number, kind: string, status: ClosedStream['status'], reason: string): ClosedStream {
  return { status, index, kind, reason };
}

/**
 * Session params (UNENCRYPTED_SRTP, KDR, ...) and MKIs change how SRTP runs; Vouch's SRTP sessions
 * take a plain key||salt, so only such crypto lines are acceptable (RFC 4568 §7.1.2 lets the
 * answerer pick any acceptable line).
 */
export function isPlainKey(c: CryptoAttribute): boolean {
  return c.sessionParams.length === 0 && c.keyParams.length === 1 && c.keyParams[0].mki === undefined;
}
