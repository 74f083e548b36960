// The VP8 path against a real decoder: the clip read by IvfSource and written by IvfSink (and,
// second, sent through the RTP packetizer, shuffled, reassembled by the frame assembler) decodes
// with GStreamer's ivfparse + vp8dec.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PacketBuffer } from '../../src/crypto/packet-buffer';
import { VideoFrameAssembler } from '../../src/main/media/jitter';
import { Vp8Packetizer } from '../../src/main/media/payload';
import { createRtpHeader, parseRtpHeader, writeRtpHeader } from '../../src/main/media/rtp';
import { createEncodedFrame, IvfSink, IvfSource } from '../../src/main/media/sources';
import { findPeer } from './peers';
import { gstDecodedIvfFrames } from './media-peers/gst-ivf';
import { writeAssembledFrames } from './media-peers/assembled-frames';

const gst = findPeer('gst-launch-1.0', 'gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad');
const clip = fileURLToPath(new URL('../../assets/test-vp8.ivf', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vouch-ivf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const decodedFrames = (path: string): number => gstDecodedIvfFrames(gst!, path);

function openClip(): IvfSource {
  const src = IvfSource.open(clip, { loop: false });
  if (typeof src === 'string') throw new Error(src);
  return src;
}

describe.skipIf(!gst)('IVF with GStreamer (ivfparse ! vp8dec)', () => {
  it('decodes the committed clip', () => {
    expect(decodedFrames(clip)).toBe(45);
  });

  it('decodes the clip after IvfSource -> IvfSink', () => {
    const src = openClip();
    const path = join(dir, 'copy.ivf');
    const sink = new IvfSink(path);
    const frame = createEncodedFrame();
    while (src.readFrame(frame)) sink.writeFrame(frame);
    sink.close();
    expect(decodedFrames(path)).toBe(45);
  });

  it('decodes the clip after RTP packetizing, reordering and frame assembly', () => {
    const src = openClip();
    const pk = new Vp8Packetizer(1234, 300);
    const h = createRtpHeader();
    h.payloadType = 96;
    h.ssrc = 42;
    let seq = 65000;
    const packets: Uint8Array[] = [];
    const frame = createEncodedFrame();
    while (src.readFrame(frame)) {
      pk.begin(frame.data, frame.offset, frame.offset + frame.length);
      h.timestamp = frame.timestamp;
      while (!pk.done) {
        const p = PacketBuffer.alloc(320);
        h.marker = pk.nextIsLast;
        h.sequenceNumber = seq++ & 0xffff;
        writeRtpHeader(p, h);
        pk.writeNext(p);
        packets.push(p.payload().slice());
      }
    }
    // Swap neighbours: every pair arrives reversed.
    for (let i = 0; i + 1 < packets.length; i += 2) [packets[i], packets[i + 1]] = [packets[i + 1], packets[i]];
    const asm = new VideoFrameAssembler();
    const path = join(dir, 'rtp.ivf');
    const sink = new IvfSink(path);
    const out = createEncodedFrame();
    const parsed = createRtpHeader();
    for (const p of packets) {
      expect(parseRtpHeader(p, 0, p.length, parsed)).toBeUndefined();
      asm.push(p, parsed, 0);
      writeAssembledFrames(asm, out, sink);
    }
    sink.close();
    expect(asm.counters.framesAssembled).toBe(45);
    expect(decodedFrames(path)).toBe(45);
  });
});
