// Writes received VP8 frames to an IVF file as they come: header first (size and frame count
// fixed up on close), then each frame with its pts on the 90 kHz RTP clock. Starts at the first
// keyframe, since a decoder can't begin anywhere else.

import { closeSync, openSync, writeSync } from 'node:fs';
import { IVF_FILE_HEADER_LENGTH, IVF_FRAME_HEADER_LENGTH, ivfFileHeader, vp8KeyframeSize, writeIvfFrameHeader } from './ivf';
import type { EncodedFrame, MediaSink } from './media-source';
import { VIDEO_CLOCK_RATE } from './ivf-source';

export class IvfSink implements MediaSink {
  readonly kind = 'video';
  readonly codec = 'VP8';
  private fd: number | undefined;
  private position = IVF_FILE_HEADER_LENGTH;
  private frames = 0;
  private width = 0;
  private height = 0;
  private firstTimestamp = -1;
  private readonly frameHeader = new Uint8Array(IVF_FRAME_HEADER_LENGTH);

  constructor(path: string) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, ivfFileHeader(0, 0, VIDEO_CLOCK_RATE, 1, 0), 0, IVF_FILE_HEADER_LENGTH, 0);
  }

  get framesWritten(): number {
    return this.frames;
  }

  writeFrame(frame: EncodedFrame): void {
    if (this.fd === undefined || frame.length === 0) return;
    if (this.frames === 0) {
      const size = vp8KeyframeSize(frame.data, frame.offset, frame.offset + frame.length);
      if (!size) return;
      this.width = size.width;
      this.height = size.height;
      this.firstTimestamp = frame.timestamp;
    }
    // Timestamps are 32-bit RTP times: keep the difference modulo 2^32.
    const pts = (frame.timestamp - this.firstTimestamp) >>> 0;
    writeIvfFrameHeader(this.frameHeader, frame.length, pts);
    writeSync(this.fd, this.frameHeader, 0, IVF_FRAME_HEADER_LENGTH, this.position);
    writeSync(this.fd, frame.data, frame.offset, frame.length, this.position + IVF_FRAME_HEADER_LENGTH);
    this.position += IVF_FRAME_HEADER_LENGTH + frame.length;
    this.frames++;
  }

  writeLoss(): void {
    // A lost video frame is simply absent; the assembler resumes at a keyframe.
  }

  close(): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, ivfFileHeader(this.width, this.height, VIDEO_CLOCK_RATE, 1, this.frames), 0, IVF_FILE_HEADER_LENGTH, 0);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
