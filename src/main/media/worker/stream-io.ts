// Builds a stream's media source and sink from what main asked for: a tone, a WAV or IVF file,
// or frames exchanged with main (the renderer's encoder and decoder).
//
// Copies of an inbound video frame's bytes in our code, socket to renderer (issue 23; the
// kernel's, IPC serialisation's and WebCodecs' own are not counted). At first 5: (1) dgram Buffer
// → pooled PacketBuffer (media-socket.ts), (2) packet payload → the VP8 assembler's ring, (3) ring
// → the assembler's frame buffer, (4) `slice()` here to post it, (5) `set()` into the wire message
// in main (wire.ts encodeMediaFrame). Then 3: (1), (2), (3). Now 2:
//   (1) MediaSocket.dispatch copies the datagram into a pooled PacketBuffer, where SRTP decrypts
//       it in place;
//   (2) VideoFrameAssembler.pollFrame copies each payload, once, from the PacketBuffer the
//       assembler kept (given back to the pool when its frame is out or dropped) into a fresh
//       buffer with the 16-byte wire header's room in front;
// that buffer is transferred to main (not copied), where the header is written in place, and the
// renderer hands a view of the received message to EncodedVideoChunk (video-codecs.ts).
// inbound-video-copies.test.ts probes each hop. Not counted above: inside SRTP unprotect on
// node:crypto (the worker's path; the portable one works in place) each packet also moves through
// PacketScratch: HMAC-SHA1 loads it (1), AES-CM loads and stores it (2), AES-GCM loads it and
// writes node's output back (2).

import { MEDIA_FRAME_HEADER_BYTES } from '../../../shared/api';
import { ToneSource, WavSource, IvfSource, WavSink, IvfSink, type EncodedFrame, type MediaSink, type MediaSource, type MediaCodec } from '../sources';
import type { MediaCodecName, SinkSpec, SourceSpec } from '../worker-protocol';

export function openSource(spec: SourceSpec, codec: MediaCodecName): MediaSource | string | undefined {
  switch (spec.kind) {
    case 'tone':
      if (codec !== 'PCMU' && codec !== 'PCMA') return `a tone needs G.711, not ${codec}`;
      return new ToneSource({ law: codec, frequencyHz: spec.frequencyHz });
    case 'wav': {
      if (codec !== 'PCMU' && codec !== 'PCMA') return `a WAV source needs G.711, not ${codec}`;
      const s = WavSource.open(spec.path, { law: codec });
      return typeof s === 'string' ? `cannot read ${spec.path}: ${s}` : s;
    }
    case 'ivf': {
      const s = IvfSource.open(spec.path);
      return typeof s === 'string' ? `cannot read ${spec.path}: ${s}` : s;
    }
    case 'frames':
    case 'none':
      return undefined;
  }
}

/**
 * Posts each assembled frame to main, whose `post` transfers the payload's buffer. Video frames
 * arrive in a fresh buffer of their own with room for the wire header in front
 * (`frameHeadroom`), posted as they are; audio frames come from the jitter buffer's reused memory
 * and are copied (a few hundred bytes).
 */
/** What a PostingSink hands to main: MediaFrameHeader's fields that the worker knows, and the payload. */
export interface PostedFrame {
  timestamp: number;
  keyframe: boolean;
  lost?: boolean;
  payload: Uint8Array;
}

export class PostingSink implements MediaSink {
  readonly frameHeadroom: number | undefined;
  constructor(
    readonly kind: 'audio' | 'video',
    readonly codec: MediaCodec,
    private readonly post: (frame: PostedFrame) => void,
  ) {
    this.frameHeadroom = kind === 'video' ? MEDIA_FRAME_HEADER_BYTES : undefined;
  }
  writeFrame(frame: EncodedFrame): void {
    const end = frame.offset + frame.length;
    const payload = this.frameHeadroom === undefined ? frame.data.slice(frame.offset, end) : frame.data.subarray(frame.offset, end);
    this.post({ timestamp: frame.timestamp, keyframe: frame.keyframe, payload });
  }
  /**
   * A lost audio frame goes up flagged `lost` at the lost frame's timestamp (MediaFrameHeader,
   * api.ts): with an empty payload the renderer conceals it (G.711 App. I, or Opus's PLC); with
   * the packet after it as payload, the renderer rebuilds it from that packet's in-band FEC
   * (Opus) or interpolates the loss into that packet's audio (G.711).
   */
  writeLoss(_duration: number, timestamp: number, following?: Uint8Array): void {
    if (this.kind !== 'audio') return;
    this.post({ timestamp, keyframe: false, lost: true, payload: following ? following.slice() : new Uint8Array(0) });
  }
  close(): void {}
}

export function openSink(spec: SinkSpec, kind: 'audio' | 'video', codec: MediaCodecName, post: (f: PostedFrame) => void): MediaSink | string | undefined {
  switch (spec.kind) {
    case 'wav':
      if (codec !== 'PCMU' && codec !== 'PCMA') return `a WAV sink needs G.711, not ${codec}`;
      return new WavSink(spec.path, codec, { fromStreamStart: spec.fromStreamStart });
    case 'ivf':
      return new IvfSink(spec.path);
    case 'frames':
      return new PostingSink(kind, codec, post);
    case 'none':
      return undefined;
  }
}
