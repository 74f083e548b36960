// Drains a VideoFrameAssembler: every frame it has completed goes to the sink.
import type { VideoFrameAssembler } from '../../../src/main/media/jitter';
import type { EncodedFrame, MediaSink } from '../../../src/main/media/sources';

export function writeAssembledFrames(asm: VideoFrameAssembler, frame: EncodedFrame, sink: MediaSink): void {
  while (asm.pollFrame()) {
    frame.data = asm.frame;
    frame.offset = asm.frameOffset;
    frame.length = asm.frameLength;
    frame.timestamp = asm.frameTimestamp;
    frame.keyframe = asm.frameIsKeyframe;
    sink.writeFrame(frame);
  }
}
