// Media sources and sinks (ARCHITECTURE.md): one interface for the renderer's frames, the tone,
// WAV and IVF file sources, and the WAV/IVF sinks. (The tone analysis tests use is in test-support.ts.)
export { createEncodedFrame } from './media-source';
export type { EncodedFrame, MediaCodec, MediaKind, MediaSink, MediaSource } from './media-source';
export { ToneSource } from './tone-source';
export type { ToneSourceOptions } from './tone-source';
export { WavSource } from './wav-source';
export type { WavSourceError, WavSourceOptions } from './wav-source';
export { WavSink } from './wav-sink';
export { IvfSource, VIDEO_CLOCK_RATE } from './ivf-source';
export type { IvfSourceOptions } from './ivf-source';
export { IvfSink } from './ivf-sink';
export { parseWav, wavHeader, wavPcmSamples, WAV_HEADER_LENGTH } from './wav';
export type { WavError, WavInfo } from './wav';
export { parseIvf, ivfFileHeader, vp8KeyframeSize, IVF_FILE_HEADER_LENGTH, IVF_FRAME_HEADER_LENGTH } from './ivf';
export type { IvfError, IvfInfo } from './ivf';
