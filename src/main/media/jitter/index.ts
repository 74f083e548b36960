// Receive-side buffering: the adaptive audio jitter buffer and the VP8 frame assembler with
// NACK/PLI generation, and the video freeze count.
export { AudioJitterBuffer } from './audio-jitter-buffer';
export type { AudioJitterBufferOptions, AudioJitterCounters, AudioPopResult, AudioPushResult } from './audio-jitter-buffer';
export { VideoFrameAssembler } from './video-frame-assembler';
export type { VideoAssemblerCounters, VideoFrameAssemblerOptions, VideoPushResult } from './video-frame-assembler';
export { VideoFreezeCounter, VIDEO_FREEZE_MS } from './video-freeze-counter';
export { unwrapSequence, unwrapTimestamp } from './sequence';
