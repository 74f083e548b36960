// How many times our code copies an inbound video frame's bytes, socket to renderer (issue 23:
// at most 2; the kernel's, IPC serialisation's and WebCodecs' own copies are not counted, nor the
// SRTP adapter's scratch copies inside unprotect, see stream-io.ts). The frame goes through the
// real parts a call uses: a datagram as node:dgram hands it over, the stream's MediaSocket and
// RtpReceiver on node:crypto SRTP (as worker.ts runs them), the VP8 assembler, the PostingSink and
// a transfer to "main", main's encodeMediaFrame and the renderer's decodeMediaFrame. Each hop is
// probed for whether it shares memory with the one before or copied:
//   - datagram -> PacketBuffer: the datagram is zeroed right after the socket took it;
//   - PacketBuffer -> assembler: a byte of a kept packet is changed before its frame completes;
//   - assembler -> frame, worker -> main, main -> wire, wire -> renderer: buffer identity.
import { randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { PacketBuffer } from '../../../crypto/packet-buffer';
import { MEDIA_FRAME_HEADER_BYTES } from '../../../shared/api';
import { decodeMediaFrame, encodeMediaFrame } from '../../../shared/wire';
import { createEncodedFrame } from '../sources';
import { nodeSrtpPrimitives } from '../srtp-node';
import { RtpStream } from './rtp-stream';
import { PostingSink } from './stream-io';
import { until, sdesVideoStart } from './test-support';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const hooks = { zrtp: () => undefined, firstFrame: () => undefined, dtmf: () => undefined, keyframeRequested: () => undefined, remoteBye: () => undefined, log: () => undefined };
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('inbound video frame, socket to renderer (issue 23)', () => {
  it('is copied twice by our code: datagram into a pooled packet, packets into the frame; then transferred, never copied', async () => {
    // The network between the two streams: a plain UDP socket that receives what `a` sends, so
    // the datagrams `b` gets are node:dgram's own Buffers.
    const wire = createSocket('udp4');
    await new Promise<void>((resolve) => wire.bind(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => wire.close(() => resolve())));
    const datagrams: { msg: Buffer; from: RemoteInfo }[] = [];
    wire.on('message', (msg, from) => datagrams.push({ msg, from }));

    const a = new RtpStream('video', hooks, nodeSrtpPrimitives, random, 'a@127.0.0.1');
    const b = new RtpStream('video', hooks, nodeSrtpPrimitives, random, 'b@127.0.0.1');
    closers.push(() => a.close(), () => b.close());
    await a.open('127.0.0.1', true);
    const { rtpPort: bPort } = await b.open('127.0.0.1', true);
    const keys = (k: Uint8Array) => ({ masterKey: k.subarray(0, 16), masterSalt: k.subarray(16, 30) });
    const ka = keys(random(30));
    const kb = keys(random(30));

    // b's sink posts to "main" as call-media.ts does: the payload's buffer in the transfer list.
    const channel = new MessageChannel();
    closers.push(() => channel.port1.close());
    const posted: Uint8Array[] = [];
    const inMain = new Promise<Uint8Array>((resolve) => channel.port2.once('message', (m: { payload: Uint8Array }) => resolve(m.payload)));
    const sink = new PostingSink('video', 'VP8', (f) => {
      posted.push(f.payload);
      channel.port1.postMessage({ payload: f.payload }, [f.payload.buffer as ArrayBuffer]);
    });
    a.start(sdesVideoStart(wire.address().port, ka, kb), undefined, undefined);
    b.start(sdesVideoStart(bPort, kb, ka), undefined, sink);

    // Which pooled buffers b's socket hands out and gets back (observed on the real pool).
    const pool = b.path.rtpSocket.pool;
    const taken: PacketBuffer[] = [];
    const given = new Set<PacketBuffer>();
    const take = pool.take.bind(pool);
    const give = pool.give.bind(pool);
    pool.take = () => {
      const p = take();
      taken.push(p);
      return p;
    };
    pool.give = (p) => {
      given.add(p);
      give(p);
    };

    // A 5000-byte keyframe (RFC 6386 §9.1 tag), several packets.
    const sent = createEncodedFrame();
    sent.data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31 + 7) & 0xff);
    sent.data.set([0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]);
    sent.length = 5000;
    sent.keyframe = true;
    a.sender.sendFrame(sent);
    await until('the frame on the wire', () => datagrams.length === a.sender.packetsSent);
    expect(datagrams.length).toBeGreaterThan(2);

    // All but the last packet: each datagram goes in as node:dgram delivers it, then is zeroed.
    for (const { msg, from } of datagrams.slice(0, -1)) {
      b.path.rtpSocket.dispatch(msg, 0, msg.length, from);
      msg.fill(0);
    }
    // The assembler keeps the packets themselves (none went back to the pool)...
    const kept = taken.slice();
    expect(kept).toHaveLength(datagrams.length - 1);
    expect(kept.filter((p) => given.has(p))).toEqual([]);
    // ...decrypted in place: change the last payload byte of the first one.
    const scribbled = kept[0].bytes[kept[0].end - 1] ^ 0xff;
    kept[0].bytes[kept[0].end - 1] = scribbled;

    const last = datagrams.at(-1)!;
    b.path.rtpSocket.dispatch(last.msg, 0, last.msg.length, last.from);
    expect(posted).toHaveLength(1);
    // The frame is out: every packet went back to the pool.
    expect(taken.every((p) => given.has(p))).toBe(true);

    const received = await inMain;
    const differs = [...received.keys()].filter((i) => received[i] !== sent.data[i]);
    // Main, as call-manager.ts hands a frame with room in front to encodeMediaFrame, then the renderer.
    const wireFrame = encodeMediaFrame({ header: { callId: 1, stream: 'video', codec: 'vp8', timestamp: 0, keyframe: true }, payload: received, headroom: received.byteOffset >= MEDIA_FRAME_HEADER_BYTES });
    const decoded = decodeMediaFrame(wireFrame);
    expect(decoded.ok).toBe(true);
    const inRenderer = decoded.ok ? decoded.value.payload : new Uint8Array(0);

    const hops = [
      // Zeroing the datagrams changed nothing in the frame: the socket had copied them.
      { hop: 'datagram -> pooled PacketBuffer (MediaSocket.dispatch)', copied: differs.length === 1 },
      // The byte changed in a kept packet is in the frame: the assembler read the packet itself.
      { hop: 'PacketBuffer -> assembler (kept by reference)', copied: !(differs.length >= 1 && received[differs[0]] === scribbled) },
      { hop: 'packets -> frame buffer (VideoFrameAssembler.pollFrame)', copied: taken.every((p) => p.bytes.buffer !== received.buffer) },
      // Transferred: detached on the worker's side, the same bytes in main.
      { hop: 'worker -> main (postMessage transfer)', copied: posted[0].buffer.byteLength !== 0 },
      { hop: 'main: wire header in place (encodeMediaFrame)', copied: wireFrame.buffer !== received.buffer },
      { hop: 'renderer: payload view (decodeMediaFrame)', copied: inRenderer.buffer !== wireFrame.buffer },
    ];
    expect(hops.filter((h) => h.copied).map((h) => h.hop)).toEqual([
      'datagram -> pooled PacketBuffer (MediaSocket.dispatch)',
      'packets -> frame buffer (VideoFrameAssembler.pollFrame)',
    ]);
    // And what arrives is the frame sent, but for the one byte changed on purpose.
    expect(differs).toHaveLength(1);
    expect(inRenderer.length).toBe(sent.length);
    expect(b.stats('VP8').dropped.auth).toBe(0);
  });
});
