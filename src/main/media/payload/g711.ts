// PCMU/PCMA in RTP (RFC 3551 §4.5.14): 8 kHz, one octet per sample, 20 ms (160 samples) per
// packet by default (§4.2); the codec itself is src/shared/g711.ts.

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import { decodeG711, encodeG711 } from '../../../shared/g711';
import type { G711Law } from '../../../shared/g711';

export const PCMU_PAYLOAD_TYPE = 0;
export const PCMA_PAYLOAD_TYPE = 8;
export const G711_CLOCK_RATE = 8000;
/** 20 ms at 8 kHz. */
export const G711_SAMPLES_PER_PACKET = 160;

export function g711LawForPayloadType(payloadType: number): G711Law | undefined {
  if (payloadType === PCMU_PAYLOAD_TYPE) return 'PCMU';
  if (payloadType === PCMA_PAYLOAD_TYPE) return 'PCMA';
  return undefined;
}

/** Encodes `samples` PCM samples from `pcm[pcmOffset]` and appends them at `p.end`. */
export function writeG711Payload(
  p: PacketBuffer,
  law: G711Law,
  pcm: Int16Array,
  pcmOffset = 0,
  samples = G711_SAMPLES_PER_PACKET,
): PacketBufferError | undefined {
  const err = p.ensureTailroom(samples);
  if (err) return err;
  encodeG711(law, pcm, p.bytes, samples, pcmOffset, p.end);
  p.end += samples;
  return undefined;
}

/**
 * Decodes the payload `bytes[start, end)` into `pcm` at `pcmOffset`, at most the room `pcm` has;
 * returns the number of samples written (the RTP timestamp advances by the same count).
 */
export function readG711Payload(law: G711Law, bytes: Uint8Array, start: number, end: number, pcm: Int16Array, pcmOffset = 0): number {
  const n = Math.max(0, Math.min(end - start, pcm.length - pcmOffset));
  decodeG711(law, bytes, pcm, n, start, pcmOffset);
  return n;
}
