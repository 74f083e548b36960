import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { PacketBuffer } from '../../../crypto/packet-buffer';
import { MEDIA_FRAME_HEADER_BYTES, type MediaFrame } from '../../../shared/api';
import { decodeMediaFrame, encodeMediaFrame } from '../../../shared/wire';
import { VideoFrameAssembler } from '../jitter';
import { Vp8Packetizer } from '../payload/vp8-packetizer';
import { createRtpHeader, parseRtpHeader, writeRtpHeader } from '../rtp/header';
import { createEncodedFrame } from '../sources';
import { PostingSink, type PostedFrame } from './stream-io';

/** One VP8 keyframe of `size` bytes as RTP packets. */
function keyframePackets(size: number): { frame: Uint8Array; packets: Uint8Array[] } {
  const frame = Uint8Array.from({ length: size }, (_, i) => (i * 13 + 5) & 0xff);
  frame[0] &= 0xfe;
  const pk = new Vp8Packetizer(1);
  const h = createRtpHeader();
  h.payloadType = 96;
  h.timestamp = 90_000;
  const packets: Uint8Array[] = [];
  pk.begin(frame);
  for (let seq = 1; !pk.done; seq++) {
    const p = PacketBuffer.alloc(1200);
    h.marker = pk.nextIsLast;
    h.sequenceNumber = seq;
    writeRtpHeader(p, h);
    pk.writeNext(p);
    packets.push(p.payload().slice());
  }
  return { frame, packets };
}

describe('PostingSink', () => {
  it('posts each frame as a copy, and a lost audio frame as an empty payload at its timestamp', () => {
    const posted: PostedFrame[] = [];
    const sink = new PostingSink('audio', 'opus', (f) => posted.push(f));
    const f = createEncodedFrame();
    f.data = new Uint8Array([9, 1, 2, 3, 9]);
    f.offset = 1;
    f.length = 3;
    f.timestamp = 960;
    sink.writeFrame(f);
    f.data[1] = 7;
    sink.writeLoss(960, 1920);
    expect(posted).toEqual([
      { timestamp: 960, keyframe: false, payload: new Uint8Array([1, 2, 3]) },
      { timestamp: 1920, keyframe: false, lost: true, payload: new Uint8Array(0) },
    ]);
  });

  it('posts a lost G.711 frame flagged with the next packet when it is handed along (the renderer interpolates into it)', () => {
    const posted: PostedFrame[] = [];
    new PostingSink('audio', 'PCMU', (f) => posted.push(f)).writeLoss(160, 320, new Uint8Array(160).fill(0xff));
    expect(posted).toEqual([{ timestamp: 320, keyframe: false, lost: true, payload: new Uint8Array(160).fill(0xff) }]);
  });

  it('posts a video frame in the buffer the assembler wrote it into, transferred to main and sent on from it (issue 23)', async () => {
    const { frame, packets } = keyframePackets(5000);
    const channel = new MessageChannel();
    const received = new Promise<Uint8Array>((resolve) => channel.port2.once('message', (m: { payload: Uint8Array }) => resolve(m.payload)));
    const posted: Uint8Array[] = [];
    // As call-media.ts posts: the payload's buffer goes in the transfer list.
    const sink = new PostingSink('video', 'VP8', (f) => {
      posted.push(f.payload);
      channel.port1.postMessage({ payload: f.payload }, [f.payload.buffer as ArrayBuffer]);
    });
    // As RtpReceiver sets it up for this sink.
    const assembler = new VideoFrameAssembler({ freshFrameHeadroom: sink.frameHeadroom });
    const h = createRtpHeader();
    for (const p of packets) {
      expect(parseRtpHeader(p, 0, p.length, h)).toBeUndefined();
      expect(assembler.push(p, h, 0)).toBe('stored');
    }
    expect(assembler.pollFrame()).toBe(true);
    const assembled = assembler.frame;
    const f = createEncodedFrame();
    f.data = assembled;
    f.offset = assembler.frameOffset;
    f.length = assembler.frameLength;
    f.keyframe = assembler.frameIsKeyframe;
    sink.writeFrame(f);
    // Transferred, not copied: the assembler's buffer is detached on the worker's side.
    expect(posted).toHaveLength(1);
    expect(assembled.buffer.byteLength).toBe(0);
    const payload = await received;
    channel.port1.close();
    expect(payload.byteOffset).toBeGreaterThanOrEqual(MEDIA_FRAME_HEADER_BYTES);
    expect(payload).toEqual(frame);
    // Main writes the header into the room in front and sends the same bytes.
    const mediaFrame: MediaFrame = { header: { callId: 3, stream: 'video', codec: 'vp8', timestamp: 90_000, keyframe: true }, payload, headroom: true };
    const wire = encodeMediaFrame(mediaFrame);
    expect(wire.buffer).toBe(payload.buffer);
    const decoded = decodeMediaFrame(wire);
    expect(decoded.ok && decoded.value.header).toEqual(mediaFrame.header);
    expect(decoded.ok && decoded.value.payload).toEqual(frame);
  });

  it('posts nothing for video losses (the frame assembler and PLI deal with those)', () => {
    const posted: unknown[] = [];
    new PostingSink('video', 'VP8', (f) => posted.push(f)).writeLoss(3000, 90_000);
    expect(posted).toEqual([]);
  });
});
