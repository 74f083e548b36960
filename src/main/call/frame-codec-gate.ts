// Encoded frames from a front end name their codec in the media frame header (api.ts
// MediaFrameHeader.codec, byte 12 of the 16-byte header). The worker packetizes every frame of a
// stream under that stream's negotiated payload type (RFC 3264 §6.1), so a frame of another codec
// would go out as noise under the wrong type: Opus under PCMU's 0 while a renderer still encodes
// for an earlier choice. Such frames are dropped here, in main, and counted per stream.
import type { Codec, StreamKind } from '../../shared/api';

export class FrameCodecGate {
  private readonly dropped = new Map<StreamKind, number>();

  /** True when a frame of `codec` may go to the stream whose negotiated codec is `negotiated`. */
  admit(stream: StreamKind, codec: Codec, negotiated: Codec | undefined): boolean {
    if (negotiated !== undefined && codec === negotiated) return true;
    this.dropped.set(stream, (this.dropped.get(stream) ?? 0) + 1);
    return false;
  }

  /** Frames of `stream` dropped for a codec other than the negotiated one. */
  droppedFor(stream: StreamKind): number {
    return this.dropped.get(stream) ?? 0;
  }
}

/** The name under which the count appears in StreamStats.dropped. */
export const CODEC_MISMATCH = 'codec-mismatch';
