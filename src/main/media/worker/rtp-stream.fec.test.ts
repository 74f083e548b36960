// Opus over two RtpStreams on loopback, one RTP packet dropped on the way: the receiver hands the
// loss to its sink together with the next packet when that one carries in-band FEC for it (RFC
// 6716 §2.1.7, the LBRR flag §4.2.3) and counts an FEC recovery; without FEC in the stream the
// loss goes up bare, to be concealed.
import { until, sdesVideoStart } from './test-support';
import { describe, it, expect, afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { PacketBuffer } from '../../../crypto/packet-buffer';
import type { Endpoint } from './media-socket';
import { createEncodedFrame, type MediaSink } from '../sources';
import type { StreamStart } from '../worker-protocol';
import { RtpStream } from './rtp-stream';
import { encodeTestPackets, loadLibopusForTests } from '../../../shared/audio/test-support';
import { opusPacketHasLbrr } from '../../../shared/audio/opus-lbrr';

const streams: RtpStream[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
});

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const OPUS_PT = 111;

async function opusStream(): Promise<{ stream: RtpStream; port: number }> {
  const hooks = { zrtp: () => undefined, firstFrame: () => undefined, dtmf: () => undefined, keyframeRequested: () => undefined, remoteBye: () => undefined, log: () => undefined };
  const stream = new RtpStream('audio', hooks, undefined, random, 'test@127.0.0.1');
  streams.push(stream);
  const { rtpPort } = await stream.open('127.0.0.1', true);
  return { stream, port: rtpPort };
}

function opusStart(peerPort: number, local: Uint8Array, remote: Uint8Array): StreamStart {
  const keys = (k: Uint8Array) => ({ masterKey: k.subarray(0, 16), masterSalt: k.subarray(16, 30) });
  return { ...sdesVideoStart(peerPort, keys(local), keys(remote)), stream: 'audio', codec: { name: 'opus', payloadType: OPUS_PT, clockRate: 48000 }, nack: false, pli: false, sink: { kind: 'none' } };
}

interface Loss {
  timestamp: number;
  following: number[] | null;
}

/** Sends `packets` as 20 ms Opus frames from one stream to another, dropping the `dropIndex`th RTP packet; what the receiver's sink saw. */
async function sendWithOneLoss(packets: Uint8Array[], dropIndex: number) {
  const [x, y] = await Promise.all([opusStream(), opusStream()]);
  const [ka, kb] = [random(30), random(30)];
  const socket = x.stream.path.rtpSocket;
  const send = socket.send.bind(socket);
  let rtp = 0;
  socket.send = (p: PacketBuffer, to: Endpoint) => {
    if ((p.bytes[p.start + 1] & 0x7f) === OPUS_PT && rtp++ === dropIndex) return socket.pool.give(p);
    send(p, to);
  };
  const frames: number[] = [];
  const losses: Loss[] = [];
  const sink: MediaSink = {
    kind: 'audio',
    codec: 'opus',
    writeFrame: (f) => frames.push(f.timestamp),
    writeLoss: (_duration, timestamp, following) => losses.push({ timestamp, following: following ? [...following] : null }),
    close: () => undefined,
  };
  y.stream.start(opusStart(x.port, kb, ka), undefined, sink);
  x.stream.start(opusStart(y.port, ka, kb), undefined, undefined);
  const frame = createEncodedFrame();
  packets.forEach((p, i) => {
    frame.data = p;
    frame.length = p.length;
    frame.timestamp = i * 960;
    x.stream.sender.sendFrame(frame);
  });
  await until('the frames after the loss', () => frames.length >= packets.length - 1, 5000);
  return { frames, losses, playout: y.stream.stats('opus').playout! };
}

describe('RtpStream: Opus in-band FEC after a lost packet', () => {
  it('hands the loss on with the next packet, which carries FEC for it, and counts a recovery', async () => {
    const packets = encodeTestPackets(await loadLibopusForTests(), 16, { fec: true, lossPercent: 10 });
    // The encoder adds LBRR data to most packets, not all: lose one whose successor has it.
    const lost = packets.findIndex((_, i) => i >= 5 && opusPacketHasLbrr(packets[i + 1]) === true);
    const { frames, losses, playout } = await sendWithOneLoss(packets, lost);
    const lostTs = (frames[0] + lost * 960) >>> 0;
    expect(frames).not.toContain(lostTs);
    expect(losses).toEqual([{ timestamp: lostTs, following: [...packets[lost + 1]] }]);
    expect(playout.fecRecoveries).toBe(1);
    expect(playout.concealedMs).toBe(0);
  });

  it('hands a loss on bare, to be concealed, when the next packet has no FEC', async () => {
    const packets = encodeTestPackets(await loadLibopusForTests(), 16, { fec: false, lossPercent: 0 });
    expect(opusPacketHasLbrr(packets[11])).toBe(false);
    const { frames, losses, playout } = await sendWithOneLoss(packets, 10);
    expect(losses).toEqual([{ timestamp: (frames[0] + 10 * 960) >>> 0, following: null }]);
    expect(playout.fecRecoveries).toBe(0);
    expect(playout.concealedMs).toBe(20);
  });
});
