// The one interface media sources and sinks have in the worker (ARCHITECTURE.md "Media sources
// and sinks"): encoded frames with a timestamp and a keyframe flag. The renderer's WebCodecs
// frames, the tone/WAV sources (G.711) and the IVF file source (VP8) all plug in here.

import type { MediaCodecName } from '../worker-protocol';

export type MediaKind = 'audio' | 'video';
/** The codec names are the worker protocol's (one table, worker-protocol.ts). */
export type MediaCodec = MediaCodecName;

/**
 * One encoded frame: `data[offset, offset + length)`. The bytes belong to whoever filled the
 * struct and stay valid until its next call; a consumer that keeps them copies them.
 */
export interface EncodedFrame {
  data: Uint8Array;
  offset: number;
  length: number;
  /** Media time in clock-rate units since the source began (the RTP timestamp minus its offset). */
  timestamp: number;
  keyframe: boolean;
}

export function createEncodedFrame(): EncodedFrame {
  return { data: new Uint8Array(0), offset: 0, length: 0, timestamp: 0, keyframe: false };
}

export interface MediaSource {
  readonly kind: MediaKind;
  readonly codec: MediaCodec;
  readonly clockRate: number;
  /** Nominal frame spacing in clock-rate units (the caller's pacing timer uses it). */
  readonly frameDuration: number;
  /** Fills `out` with the next frame; false once the source has ended. */
  readFrame(out: EncodedFrame): boolean;
  /** A PLI or FIR arrived (RFC 4585 §6.3.1, RFC 5104 §4.3.1): send a keyframe soon. */
  requestKeyframe(): void;
  close(): void;
}

export interface MediaSink {
  readonly kind: MediaKind;
  readonly codec: MediaCodec;
  /**
   * Set by a sink that keeps frames (posts them on): the receiver then writes each video frame
   * into a fresh buffer the sink owns, at `offset` = this many spare bytes, instead of a reused
   * one, so the sink passes it on without copying it (issue 23).
   */
  readonly frameHeadroom?: number;
  writeFrame(frame: EncodedFrame): void;
  /**
   * A frame the jitter buffer declared lost: `duration` clock-rate units at RTP `timestamp` to
   * conceal. `following`, when given, is the packet right after it, already buffered: Opus with
   * in-band FEC for it (LBRR, RFC 6716 §2.1.7), from which a decoder rebuilds the lost frame
   * (decode_fec), or G.711 audio the concealment is interpolated towards. It is a view into the
   * jitter buffer, valid during the call only; the packet is written as a frame of its own next,
   * as usual.
   */
  writeLoss(duration: number, timestamp: number, following?: Uint8Array): void;
  /** Finishes the output (file headers fixed up); idempotent. */
  close(): void;
}
