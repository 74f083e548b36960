// Two RtpStreams over loopback UDP, SDES-keyed (RFC 4568 keys, SRTP RFC 3711): the parts
// composed as a call uses them. VP8 frames reach the peer's sink; the receiver's keyframe request
// reaches the sender as PLI (RFC 4585 §6.3.1); a lost packet is NACKed and retransmitted from the
// sender's history (§6.2.1) so the frame still completes; a lost audio packet reaches the sink as
// a loss to conceal and shows in the playout statistics.
import { until, sdesVideoStart } from './test-support';
import { describe, it, expect, afterEach, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { PacketBuffer } from '../../../crypto/packet-buffer';
import type { Endpoint } from './media-socket';
import { ToneSource, createEncodedFrame, type EncodedFrame, type MediaSink } from '../sources';
import type { StreamStart } from '../worker-protocol';
import { RtpStream } from './rtp-stream';
import { SharedIntervals } from './shared-interval';

interface Side {
  stream: RtpStream;
  frames: { length: number; keyframe: boolean }[];
  keyframeRequests: number;
}

const streams: RtpStream[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
});

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

async function side(kind: 'audio' | 'video' = 'video', intervals?: SharedIntervals): Promise<{ side: Side; port: number }> {
  const s: Side = { stream: undefined as unknown as RtpStream, frames: [], keyframeRequests: 0 };
  s.stream = new RtpStream(
    kind,
    {
      zrtp: () => undefined,
      firstFrame: () => undefined,
      dtmf: () => undefined,
      keyframeRequested: () => s.keyframeRequests++,
      remoteBye: () => undefined,
      log: () => undefined,
    },
    undefined,
    random,
    'test@127.0.0.1',
    intervals,
  );
  streams.push(s.stream);
  const { rtpPort } = await s.stream.open('127.0.0.1', true);
  return { side: s, port: rtpPort };
}

function sink(s: Side): MediaSink {
  return {
    kind: 'video',
    codec: 'VP8',
    writeFrame: (f: EncodedFrame) => s.frames.push({ length: f.length, keyframe: f.keyframe }),
    writeLoss: () => undefined,
    close: () => undefined,
  };
}

/** An audio stream's start: PCMU, no RTCP feedback, nothing recorded. */
function pcmuStart(peerPort: number, local: Uint8Array, remote: Uint8Array): StreamStart {
  return { ...start(peerPort, local, remote), stream: 'audio', codec: { name: 'PCMU', payloadType: 0, clockRate: 8000 }, nack: false, pli: false, sink: { kind: 'none' } };
}

function start(peerPort: number, local: Uint8Array, remote: Uint8Array): StreamStart {
  const keys = (k: Uint8Array) => ({ masterKey: k.subarray(0, 16), masterSalt: k.subarray(16, 30) });
  return sdesVideoStart(peerPort, keys(local), keys(remote));
}

async function pair(): Promise<{ a: Side; b: Side }> {
  const [x, y] = await Promise.all([side(), side()]);
  const ka = random(30);
  const kb = random(30);
  x.side.stream.start(start(y.port, ka, kb), undefined, sink(x.side));
  y.side.stream.start(start(x.port, kb, ka), undefined, sink(y.side));
  return { a: x.side, b: y.side };
}

/** A VP8 frame of `length` bytes (RFC 6386 §9.1 frame tag: bit 0 clear on a keyframe). */
function vp8(length: number, keyframe: boolean, timestamp: number): EncodedFrame {
  const f = createEncodedFrame();
  f.data = new Uint8Array(length).fill(0x42);
  f.data.set(keyframe ? [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01] : [0x11, 0x02, 0x00]);
  f.offset = 0;
  f.length = length;
  f.timestamp = timestamp;
  f.keyframe = keyframe;
  return f;
}

describe('RtpStream (sender, receiver and RTCP session over loopback)', () => {
  it('carries VP8 frames to the peer, and a keyframe request from its receiver reaches us as PLI', async () => {
    const { a, b } = await pair();
    a.stream.sender.sendFrame(vp8(3000, true, 0));
    a.stream.sender.sendFrame(vp8(1000, false, 3000));
    await until('two frames at b', () => b.frames.length >= 2);
    expect(b.frames.slice(0, 2)).toEqual([
      { length: 3000, keyframe: true },
      { length: 1000, keyframe: false },
    ]);
    expect(a.keyframeRequests).toBe(0);
    b.stream.receiver.requestKeyframe();
    await until('PLI at a', () => a.keyframeRequests === 1);
    // The request goes to the sender only: b, which asked, hears nothing back.
    expect(b.keyframeRequests).toBe(0);
    const stats = a.stream.stats('VP8');
    expect(stats.protectFailures).toBe(0);
    expect(b.stream.stats('VP8').dropped.auth).toBe(0);
  });

  it('asks for no keyframe before the peer sent any RTP (no SSRC to name)', async () => {
    const { a, b } = await pair();
    b.stream.receiver.requestKeyframe();
    a.stream.sender.sendFrame(vp8(500, true, 0));
    await until('a frame at b', () => b.frames.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.keyframeRequests).toBe(0);
  });

  it('NACKs a lost packet and completes the frame from the retransmission', async () => {
    const { a, b } = await pair();
    a.stream.sender.sendFrame(vp8(1000, true, 0));
    await until('first frame at b', () => b.frames.length === 1);
    // Lose the second RTP packet of the next frame on the way out, once.
    const socket = a.stream.path.rtpSocket;
    const send = socket.send.bind(socket);
    let rtp = 0;
    socket.send = (p: PacketBuffer, to: Endpoint) => {
      const isRtcp = p.bytes[p.start + 1] >= 192 && p.bytes[p.start + 1] <= 223;
      if (!isRtcp && ++rtp === 2) return socket.pool.give(p);
      send(p, to);
    };
    a.stream.sender.sendFrame(vp8(4000, false, 3000));
    await until('the frame with a lost packet at b', () => b.frames.length === 2, 3000);
    expect(b.frames[1]).toEqual({ length: 4000, keyframe: false });
    // Resent, not re-encoded: the sender was not asked for a keyframe.
    expect(a.keyframeRequests).toBe(0);
  });

  it('a lost audio packet reaches the sink as a loss at its timestamp, and the stats count it concealed', async () => {
    const [x, y] = await Promise.all([side('audio'), side('audio')]);
    const [a, b] = [x.side, y.side];
    const [ka, kb] = [random(30), random(30)];
    const audio = (port: number, local: Uint8Array, remote: Uint8Array): StreamStart => ({ ...pcmuStart(port, local, remote), source: { kind: 'tone', frequencyHz: 1000 } });
    const socket = a.stream.path.rtpSocket;
    const send = socket.send.bind(socket);
    let rtp = 0;
    socket.send = (p: PacketBuffer, to: Endpoint) => {
      if (p.length >= 172 && ++rtp === 10) return socket.pool.give(p);
      send(p, to);
    };
    const frames: number[] = [];
    const losses: { duration: number; timestamp: number; following: number }[] = [];
    const audioSink: MediaSink = {
      kind: 'audio',
      codec: 'PCMU',
      writeFrame: (f) => frames.push(f.timestamp),
      writeLoss: (duration, timestamp, following) => losses.push({ duration, timestamp, following: following?.length ?? 0 }),
      close: () => undefined,
    };
    b.stream.start(audio(x.port, kb, ka), undefined, audioSink);
    a.stream.start(audio(y.port, ka, kb), new ToneSource({ law: 'PCMU' }), undefined);
    await until('frames after the loss at b', () => frames.length >= 15, 3000);
    // The 10th packet's frame is a loss at its own timestamp (a loaded machine may add late ones),
    // handed on with the packet after it (already here: a hole is due only once a later packet
    // came), which the concealment is interpolated towards.
    const dropped = (frames[0] + 9 * 160) >>> 0;
    expect(losses).toContainEqual({ duration: 160, timestamp: dropped, following: 160 });
    expect(frames).not.toContain(dropped);
    expect(frames).toContain((dropped + 160) >>> 0);
    const playout = b.stream.stats('PCMU').playout!;
    expect(playout.concealedMs).toBe(20 * losses.length);
    expect(playout.playoutDelayMs).toBeGreaterThanOrEqual(20);
    expect(playout.videoFreezes).toBe(0);
  });

  it('marks the first audio packet of each talk spurt (RFC 3551 §4.1): the first, and the first after a DTX silence', async () => {
    const [x, y] = await Promise.all([side('audio'), side('audio')]);
    const audio = pcmuStart;
    const [ka, kb] = [random(30), random(30)];
    const socket = x.side.stream.path.rtpSocket;
    const send = socket.send.bind(socket);
    const markers: boolean[] = [];
    socket.send = (p: PacketBuffer, to: Endpoint) => {
      const second = p.bytes[p.start + 1];
      if (second < 192 || second > 223) markers.push((second & 0x80) !== 0);
      send(p, to);
    };
    y.side.stream.start(audio(x.port, kb, ka), undefined, undefined);
    x.side.stream.start(audio(y.port, ka, kb), undefined, undefined);
    const frame = createEncodedFrame();
    frame.data = new Uint8Array(160).fill(0xff);
    frame.length = 160;
    for (const ts of [0, 160, 320, 480, 4000, 4160]) {
      frame.timestamp = ts;
      x.side.stream.sender.sendFrame(frame);
    }
    expect(markers).toEqual([true, false, false, false, true, false]);
  });

  it('paces a tone at one packet per 20 ms frame on its per-frame tick: none bunched, none skipped; a late tick sends at most 3', async () => {
    // Real sockets, fake ticks: vitest's timers drive the shared interval, whose clock is the fake
    // Date, so each packet's send time is known exactly, however loaded the machine.
    const intervals = new SharedIntervals(() => Date.now());
    const { side: a } = await side('audio', intervals);
    const { port } = await side('audio');
    const sentAt: number[] = [];
    const socket = a.stream.path.rtpSocket;
    const send = socket.send.bind(socket);
    socket.send = (p: PacketBuffer, to: Endpoint) => {
      const second = p.bytes[p.start + 1];
      if (second < 192 || second > 223) sentAt.push(Date.now());
      send(p, to);
    };
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'Date'], now: 0 });
    try {
      a.stream.start({ ...pcmuStart(port, random(30), random(30)), source: { kind: 'tone', frequencyHz: 1000 } }, new ToneSource({ law: 'PCMU' }), undefined);
      // The first frame at once, then one on each 20 ms tick: a second of ticks, 50 more.
      vi.advanceTimersByTime(1000);
      expect(sentAt).toEqual(Array.from({ length: 51 }, (_, i) => 20 * i));
      // The thread stalls: the tick due at 1020 comes at 1085. Frames 1020..1080 are overdue;
      // 3 go at once, the 4th is skipped (real time), and the ticks after send one each again,
      // though they now fall 5 ms off the frame times (a frame is due half a frame early).
      vi.setSystemTime(1065);
      vi.advanceTimersByTime(20 * 5);
      expect(sentAt.slice(51)).toEqual([1085, 1085, 1085, 1105, 1125, 1145, 1165]);
      expect(a.stream.sender.packetsSent).toBe(58);
    } finally {
      vi.useRealTimers();
    }
  });
});
