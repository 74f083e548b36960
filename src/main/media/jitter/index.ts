// Receive-side buffering: the adaptive audio jitter buffer and the VP8 frame assembler with
// NACK/PLI generation.
export { AudioJitterBuffer } from './audio-jitter-buffer';
export type { AudioJitterBufferOptions, AudioJitterCounters, AudioPopResult, AudioPushResult } from './audio-jitter-buffer';
export { VideoFrameAssembler } from './video-frame-assembler';
export type { VideoAssemblerCounters, VideoFrameAssemblerOptions, VideoPushResult } from './video-frame-assembler';
export { unwrapSequence, unwrapTimestamp } from './sequence';
