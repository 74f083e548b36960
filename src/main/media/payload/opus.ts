// Opus in RTP (RFC 7587): the RTP clock is always 48 kHz whatever the coded bandwidth (§4.1), one
// Opus packet per RTP packet (§4.2), and the SDP always says opus/48000/2 (§7). The payload is the
// Opus packet as the encoder produced it; its duration comes from the TOC byte (RFC 6716 §3.1).

import type { PacketBuffer, PacketBufferError } from '../../../crypto/packet-buffer';
import { appendBytes } from '../rtp/bytes';

export const OPUS_CLOCK_RATE = 48000;
/** RFC 7587 §7: the channel count in SDP is always 2. */
export const OPUS_SDP_CHANNELS = 2;

/** Frame size in 48 kHz samples for each TOC configuration (RFC 6716 §3.1, Table 2). */
const FRAME_SAMPLES = [
  480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880, // SILK NB/MB/WB 10-60 ms
  480, 960, 480, 960, // Hybrid SWB/FB 10/20 ms
  120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, // CELT 2.5-20 ms
];

/** RFC 6716 §3.2.5: a packet may carry at most 120 ms of audio. */
const MAX_PACKET_SAMPLES = 5760;

/**
 * Duration of an Opus packet in 48 kHz samples (the RTP timestamp increment), or -1 when the TOC
 * or the frame count is malformed (RFC 6716 §3.1, §3.2).
 */
export function opusPacketSamples(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 1 || end > bytes.length) return -1;
  const toc = bytes[start];
  const frameSamples = FRAME_SAMPLES[toc >> 3];
  let frames: number;
  switch (toc & 0x03) {
    case 0:
      frames = 1;
      break;
    case 1:
    case 2:
      frames = 2;
      break;
    default:
      if (end - start < 2) return -1;
      frames = bytes[start + 1] & 0x3f;
      if (frames === 0) return -1;
  }
  const samples = frames * frameSamples;
  return samples > MAX_PACKET_SAMPLES ? -1 : samples;
}

/** Appends an Opus packet `data[start, end)` as the RTP payload. */
export function writeOpusPayload(p: PacketBuffer, data: Uint8Array, start = 0, end = data.length): PacketBufferError | undefined {
  return appendBytes(p, data, start, end);
}
