// The codecs Vouch speaks and how an rtpmap names them: Opus (RFC 7587 §7: always opus/48000/2),
// PCMU/PCMA (RFC 3551 §6, static payload types 0 and 8), telephone-event (RFC 4733 §7.1.1) at
// 8000 and 48000 Hz, VP8 (RFC 7741 §6.1: VP8/90000).
import type { StreamKind } from '../../shared/api';

export interface CodecSpec {
  readonly kind: StreamKind;
  readonly encodingName: string;
  readonly clockRate: number;
  readonly channels?: number;
  /** Payload type used in our offers (static where RFC 3551 assigns one). */
  readonly payloadType: number;
  readonly fmtp?: string;
  /** RFC 4585 / RFC 5104 feedback this codec wants ("nack", "nack pli", "ccm fir"). */
  readonly rtcpFb?: readonly string[];
}

/**
 * Opus (RFC 7587 §6.1): `useinbandfec=1` and `usedtx=1` ask the peer's encoder for in-band FEC and
 * DTX. Our own encoder sends both (the renderer's AudioEncoderConfig, audio-codecs.ts), and the
 * renderer's libopus decoder uses received FEC to rebuild a lost frame (opus-receiver.ts).
 */
export const OPUS: CodecSpec = { kind: 'audio', encodingName: 'opus', clockRate: 48_000, channels: 2, payloadType: 96, fmtp: 'useinbandfec=1; usedtx=1' };
export const PCMU: CodecSpec = { kind: 'audio', encodingName: 'PCMU', clockRate: 8_000, payloadType: 0 };
export const PCMA: CodecSpec = { kind: 'audio', encodingName: 'PCMA', clockRate: 8_000, payloadType: 8 };
export const TELEPHONE_EVENT_48000: CodecSpec = { kind: 'audio', encodingName: 'telephone-event', clockRate: 48_000, payloadType: 101, fmtp: '0-15' };
export const TELEPHONE_EVENT_8000: CodecSpec = { kind: 'audio', encodingName: 'telephone-event', clockRate: 8_000, payloadType: 100, fmtp: '0-15' };
export const VP8: CodecSpec = { kind: 'video', encodingName: 'VP8', clockRate: 90_000, payloadType: 96, rtcpFb: ['nack', 'nack pli', 'ccm fir'] };

export const DEFAULT_AUDIO_CODECS: readonly CodecSpec[] = [OPUS, PCMU, PCMA, TELEPHONE_EVENT_48000, TELEPHONE_EVENT_8000];
export const DEFAULT_VIDEO_CODECS: readonly CodecSpec[] = [VP8];

/** RFC 3551 §6 static payload types an offer may list without an rtpmap. */
const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, { encodingName: string; clockRate: number; channels?: number }> = new Map([
  [0, { encodingName: 'PCMU', clockRate: 8_000 }],
  [3, { encodingName: 'GSM', clockRate: 8_000 }],
  [4, { encodingName: 'G723', clockRate: 8_000 }],
  [8, { encodingName: 'PCMA', clockRate: 8_000 }],
  [9, { encodingName: 'G722', clockRate: 8_000 }],
  [18, { encodingName: 'G729', clockRate: 8_000 }],
]);

export function staticPayloadType(pt: number): { encodingName: string; clockRate: number; channels?: number } | undefined {
  return STATIC_PAYLOAD_TYPES.get(pt);
}

export function isTelephoneEvent(c: { encodingName: string }): boolean {
  return c.encodingName.toLowerCase() === 'telephone-event';
}

/** RFC 8866 §6.6: encoding names compare without case; channels default to 1 for audio. */
export function sameCodec(a: { encodingName: string; clockRate: number; channels?: number }, b: CodecSpec): boolean {
  return a.encodingName.toLowerCase() === b.encodingName.toLowerCase() && a.clockRate === b.clockRate && (a.channels ?? 1) === (b.channels ?? 1);
}
