// The VP8 RTP payload format (RFC 7741) against GStreamer's rtpvp8pay/rtpvp8depay, over UDP on
// loopback: GStreamer packetizes the clip and our frame assembler rebuilds frames that vp8dec
// decodes; our packetizer sends the clip and GStreamer depacketizes and decodes every frame.
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PacketBuffer } from '../../src/crypto/packet-buffer';
import { VideoFrameAssembler } from '../../src/main/media/jitter';
import { Vp8Packetizer } from '../../src/main/media/payload';
import { createRtpHeader, parseRtpHeader, writeRtpHeader } from '../../src/main/media/rtp';
import { createEncodedFrame, IvfSink, IvfSource } from '../../src/main/media/sources';
import { findPeer } from './peers';
import { gstLoopback } from './media-peers/gst-loopback';
import { gstDecodedIvfFrames } from './media-peers/gst-ivf';
import { writeAssembledFrames } from './media-peers/assembled-frames';
import { peerPort, untilBound } from './ports';

const gst = findPeer('gst-launch-1.0', 'gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad');
const clip = fileURLToPath(new URL('../../assets/test-vp8.ivf', import.meta.url));
const { dir, children, bind, close } = gstLoopback('vouch-vp8rtp-');
afterAll(close);

const CLIP_FRAMES = 45;

describe.skipIf(!gst)('VP8 over RTP with GStreamer (RFC 7741)', () => {
  it('assembles the frames rtpvp8pay sends into an IVF that vp8dec decodes', async () => {
    const socket = await bind();
    const asm = new VideoFrameAssembler();
    const path = join(dir, 'from-gst.ivf');
    const sink = new IvfSink(path);
    const h = createRtpHeader();
    const frame = createEncodedFrame();
    let malformed = 0;
    const done = new Promise<void>((resolve) => {
      socket.on('message', (msg: Buffer) => {
        if (parseRtpHeader(msg, 0, msg.length, h)) {
          malformed++;
          return;
        }
        asm.push(msg, h, 0);
        writeAssembledFrames(asm, frame, sink);
        if (sink.framesWritten >= CLIP_FRAMES) resolve();
      });
    });
    const child = spawn(
      gst!,
      ['-q', 'filesrc', `location=${clip}`, '!', 'ivfparse', '!', 'rtpvp8pay', 'mtu=1200', 'pt=96', 'picture-id-mode=15-bit', '!',
        'udpsink', 'host=127.0.0.1', `port=${socket.address().port}`, 'sync=false'],
      { stdio: 'ignore' },
    );
    children.push(child);
    await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
    sink.close();
    expect(malformed).toBe(0);
    expect(sink.framesWritten).toBe(CLIP_FRAMES);
    expect(asm.counters.framesDropped).toBe(0);
    expect(gstDecodedIvfFrames(gst!, path)).toBe(CLIP_FRAMES);
  });

  it('sends the clip with our packetizer and rtpvp8depay + vp8dec decode every frame', async () => {
    const port = await peerPort(); // gst's udpsrc binds it
    const caps = 'application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,payload=96';
    const child = spawn(gst!, ['-v', 'udpsrc', 'address=127.0.0.1', `port=${port}`, `caps=${caps}`, '!', 'rtpvp8depay', '!', 'vp8dec', '!', 'fakesink', 'silent=false'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    let decoded = 0;
    let playing!: () => void;
    let allDecoded!: () => void;
    const isPlaying = new Promise<void>((r) => (playing = r));
    const isDone = new Promise<void>((r) => (allDecoded = r));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('PLAYING')) playing();
      decoded = output.split('\n').filter((l) => l.includes('fakesink0') && l.includes('chain')).length;
      if (decoded >= CLIP_FRAMES) allDecoded();
    });
    await Promise.race([isPlaying, new Promise((r) => setTimeout(r, 5_000))]);
    // PLAYING is printed as gst-launch asks for it; what matters is udpsrc's socket.
    await untilBound(port, 'udp');

    const socket = await bind();
    const src = IvfSource.open(clip, { loop: false });
    if (typeof src === 'string') throw new Error(src);
    const pk = new Vp8Packetizer(77);
    const h = createRtpHeader();
    h.payloadType = 96;
    h.ssrc = 0x1234;
    let seq = 65500;
    const frame = createEncodedFrame();
    const p = PacketBuffer.alloc(1200);
    while (src.readFrame(frame)) {
      pk.begin(frame.data, frame.offset, frame.offset + frame.length);
      h.timestamp = (1000 + frame.timestamp) >>> 0;
      while (!pk.done) {
        p.reset();
        h.marker = pk.nextIsLast;
        h.sequenceNumber = seq++ & 0xffff;
        writeRtpHeader(p, h);
        pk.writeNext(p);
        await new Promise<void>((resolve, reject) => socket.send(p.bytes, p.start, p.length, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.race([isDone, new Promise((r) => setTimeout(r, 10_000))]);
    child.kill('SIGKILL');
    expect(decoded).toBe(CLIP_FRAMES);
  });
});
