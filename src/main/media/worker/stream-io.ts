// Builds a stream's media source and sink from what main asked for: a tone, a WAV or IVF file,
// or frames exchanged with main (the renderer's encoder and decoder).

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

/** Posts each assembled frame to main (a copy: the stream's buffers are reused). */
export class PostingSink implements MediaSink {
  constructor(
    readonly kind: 'audio' | 'video',
    readonly codec: MediaCodec,
    private readonly post: (frame: { timestamp: number; keyframe: boolean; payload: Uint8Array }) => void,
  ) {}
  writeFrame(frame: EncodedFrame): void {
    this.post({ timestamp: frame.timestamp, keyframe: frame.keyframe, payload: frame.data.slice(frame.offset, frame.offset + frame.length) });
  }
  /**
   * A lost audio frame goes up as a frame with an empty payload at the lost frame's timestamp: the
   * renderer conceals it (G.711 App. I, or repetition on decoded Opus), since a WebCodecs decoder
   * is never called for a frame it does not receive.
   */
  writeLoss(_duration: number, timestamp: number): void {
    if (this.kind === 'audio') this.post({ timestamp, keyframe: false, payload: new Uint8Array(0) });
  }
  close(): void {}
}

export function openSink(spec: SinkSpec, kind: 'audio' | 'video', codec: MediaCodecName, post: (f: { timestamp: number; keyframe: boolean; payload: Uint8Array }) => void): MediaSink | string | undefined {
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
