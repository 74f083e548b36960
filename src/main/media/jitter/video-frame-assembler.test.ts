import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { PacketBuffer } from '../../../crypto/packet-buffer';
import { Vp8Packetizer } from '../payload/vp8-packetizer';
import { createRtpHeader, parseRtpHeader, writeRtpHeader } from '../rtp/header';
import { VideoFrameAssembler } from './video-frame-assembler';

function frameOf(length: number, keyframe: boolean, seed: number): Uint8Array {
  const f = Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff);
  f[0] = keyframe ? f[0] & 0xfe : f[0] | 0x01;
  return f;
}

/** A stream of frames as RTP packets: frame k has `sizes[k]` bytes, keyframe when in `keys`. */
function stream(sizes: number[], keys: number[], seq0 = 100): { packets: Uint8Array[]; frames: Uint8Array[] } {
  const pk = new Vp8Packetizer(1);
  const h = createRtpHeader();
  h.payloadType = 96;
  let seq = seq0;
  const packets: Uint8Array[] = [];
  const frames = sizes.map((size, k) => frameOf(size, keys.includes(k), k));
  frames.forEach((frame, k) => {
    pk.begin(frame);
    h.timestamp = k * 3000;
    while (!pk.done) {
      const p = PacketBuffer.alloc(1200);
      h.marker = pk.nextIsLast;
      h.sequenceNumber = seq++ & 0xffff;
      writeRtpHeader(p, h);
      pk.writeNext(p);
      packets.push(p.payload().slice());
    }
  });
  return { packets, frames };
}

function push(a: VideoFrameAssembler, packet: Uint8Array, now: number): string {
  const h = createRtpHeader();
  expect(parseRtpHeader(packet, 0, packet.length, h)).toBeUndefined();
  return a.push(packet, h, now);
}

function poll(a: VideoFrameAssembler): Array<{ ts: number; key: boolean; data: Uint8Array }> {
  const out = [];
  while (a.pollFrame()) out.push({ ts: a.frameTimestamp, key: a.frameIsKeyframe, data: a.frame.slice(a.frameOffset, a.frameOffset + a.frameLength) });
  return out;
}

describe('VideoFrameAssembler', () => {
  it('releases frames in order, byte for byte, even when packets arrive out of order', () => {
    const { packets, frames } = stream([2500, 800, 3000], [0], 65530);
    const a = new VideoFrameAssembler();
    const order = [1, 0, 2, 4, 3, 5, 6, 7].filter((i) => i < packets.length);
    expect(order).toHaveLength(packets.length);
    for (const i of order) push(a, packets[i], 0);
    const out = poll(a);
    expect(out.map((f) => f.ts)).toEqual([0, 3000, 6000]);
    expect(out.map((f) => f.key)).toEqual([true, false, false]);
    out.forEach((f, k) => expect(f.data).toEqual(frames[k]));
  });

  it('with freshFrameHeadroom, writes each frame once into a buffer of its own after at least the headroom', () => {
    const { packets, frames } = stream([2500, 800], [0]);
    const a = new VideoFrameAssembler({ freshFrameHeadroom: 16 });
    for (const p of packets) push(a, p, 0);
    const buffers: Uint8Array[] = [];
    while (a.pollFrame()) {
      expect(a.frameOffset).toBeGreaterThanOrEqual(16);
      expect(a.frame.length).toBe(a.frameOffset + a.frameLength);
      expect(a.frame.subarray(a.frameOffset)).toEqual(frames[buffers.length]);
      buffers.push(a.frame);
    }
    expect(buffers).toHaveLength(2);
    expect(buffers[0].buffer).not.toBe(buffers[1].buffer);
    // The first frame's bytes are its own: releasing the second did not touch them.
    expect(buffers[0].subarray(buffers[0].length - frames[0].length)).toEqual(frames[0]);
  });

  it('reads each payload from the packet it was pushed in, copied once, into the frame (issue 23)', () => {
    const { packets, frames } = stream([2500], [0]);
    const a = new VideoFrameAssembler();
    for (const p of packets) expect(push(a, p, 0)).toBe('stored');
    // The packet is kept, not copied: a byte changed in it after push is in the frame.
    const first = packets[0];
    first[first.length - 1] ^= 0xff;
    expect(a.pollFrame()).toBe(true);
    const frame = a.frame.slice(a.frameOffset, a.frameOffset + a.frameLength);
    const differs = [...frame.keys()].filter((i) => frame[i] !== frames[0][i]);
    expect(differs).toHaveLength(1);
    expect(frame[differs[0]]).toBe(first[first.length - 1]);
    // The frame is a copy: no packet shares its memory.
    for (const p of packets) expect(a.frame.buffer).not.toBe(p.buffer);
  });

  it('assembles payloads of any size behind headers of any size (15 CSRCs behind a 1-byte payload)', () => {
    // RFC 3550 §5.1 header (CSRC count `cc`), a 1-byte VP8 descriptor (RFC 7741 §4.2: S on the
    // first packet), then the payload chunk.
    const chunks = [[0x10], [0x21], [0x32, 0x33, 0x34], Array.from({ length: 500 }, (_, i) => i & 0xff), [0x99]];
    const packets = chunks.map((chunk, i) => {
      const cc = i % 2 === 1 ? 15 : 0;
      const b = new Uint8Array(12 + 4 * cc + 1 + chunk.length).fill(0xcc);
      b[0] = 0x80 | cc;
      b[1] = 96 | (i === chunks.length - 1 ? 0x80 : 0);
      b[3] = 10 + i;
      b[7] = 90;
      b[12 + 4 * cc] = i === 0 ? 0x10 : 0x00;
      b.set(chunk, 13 + 4 * cc);
      return b;
    });
    for (const headroom of [undefined, 16]) {
      const a = new VideoFrameAssembler({ freshFrameHeadroom: headroom });
      for (const i of [4, 1, 3, 0, 2]) expect(push(a, packets[i], 0)).toBe('stored');
      expect(poll(a).map((f) => Array.from(f.data))).toEqual([chunks.flat()]);
    }
  });

  it('gives each packet it stored back once, as soon as no frame needs it (frame out, dropped, or releaseAll), and no other', () => {
    const { packets, frames } = stream([2000, 700, 2500, 300, 1200], [0, 3]);
    interface Held {
      bytes: Uint8Array;
      timestamp: number;
    }
    fc.assert(
      fc.property(fc.array(fc.record({ packet: fc.nat(packets.length - 1), advanceMs: fc.nat(80) }), { maxLength: 40 }), (arrivals) => {
        const stored = new Set<Held>();
        const released = new Set<Held>();
        const a = new VideoFrameAssembler<Held>({
          capacity: 16,
          maxWaitMs: 50,
          release: (owner) => {
            expect(stored.has(owner) && !released.has(owner)).toBe(true);
            released.add(owner);
            // Released bytes are the caller's again (a pool reuses them): the assembler must not read them any more.
            owner.bytes.fill(0xee);
          },
        });
        const h = createRtpHeader();
        const nacks = new Uint16Array(8);
        let now = 0;
        for (const { packet, advanceMs } of arrivals) {
          now += advanceMs;
          const bytes = packets[packet].slice();
          expect(parseRtpHeader(bytes, 0, bytes.length, h)).toBeUndefined();
          const owner = { bytes, timestamp: h.timestamp };
          if (a.push(bytes, h, now, owner) === 'stored') stored.add(owner);
          a.collectNacks(now, nacks);
          a.tick(now);
          while (a.pollFrame()) {
            expect(a.frame.slice(a.frameOffset, a.frameOffset + a.frameLength)).toEqual(frames[a.frameTimestamp / 3000]);
            // Frames come out in order: this one's packets and every earlier frame's are given back.
            for (const o of stored) if (o.timestamp <= a.frameTimestamp) expect(released.has(o)).toBe(true);
          }
        }
        a.releaseAll();
        expect(released.size).toBe(stored.size);
      }),
    );
  });

  it('waits for a keyframe before releasing anything, and asks for one (PLI)', () => {
    const { packets } = stream([500, 500, 500], [2]);
    const a = new VideoFrameAssembler({ keyframeRequestIntervalMs: 100 });
    push(a, packets[0], 0);
    push(a, packets[1], 10);
    expect(a.needsKeyframe).toBe(true);
    expect(poll(a)).toEqual([]);
    expect(a.tick(20)).toBe(true);
    expect(a.tick(50)).toBe(false); // rate limited
    push(a, packets[2], 60);
    expect(a.needsKeyframe).toBe(false);
    expect(poll(a).map((f) => f.ts)).toEqual([6000]);
    expect(a.tick(200)).toBe(false);
  });

  it("rate-limits keyframe requests whoever asks: the decoder's after an error share the slot with lost frames'", () => {
    const { packets } = stream([500, 500], [2]);
    const a = new VideoFrameAssembler({ keyframeRequestIntervalMs: 250 });
    push(a, packets[0], 0);
    expect(a.tick(0)).toBe(true);
    // A burst of decode errors in the renderer: one PLI per interval, not one each.
    expect([10, 50, 200].map((t) => a.allowKeyframeRequest(t))).toEqual([false, false, false]);
    expect(a.allowKeyframeRequest(260)).toBe(true);
    expect(a.tick(300)).toBe(false);
    expect(a.tick(520)).toBe(true);
    expect(a.counters.keyframeRequests).toBe(3);
  });

  it('NACKs the missing packets, retries one RTT apart, at most maxNackRetries times', () => {
    const { packets, frames } = stream([4000, 500], [0]);
    const a = new VideoFrameAssembler({ maxNackRetries: 2 });
    a.rttMs = 40;
    const lost = [1, 2];
    packets.forEach((p, i) => lost.includes(i) || push(a, p, 0));
    const nacks = new Uint16Array(16);
    const n = a.collectNacks(0, nacks);
    expect(Array.from(nacks.subarray(0, n))).toEqual([101, 102]);
    expect(a.collectNacks(20, nacks)).toBe(0); // within one RTT
    expect(a.collectNacks(45, nacks)).toBe(2);
    expect(a.collectNacks(100, nacks)).toBe(0); // retries exhausted
    expect(poll(a)).toEqual([]);
    // The retransmissions arrive: both frames complete.
    push(a, packets[1], 110);
    push(a, packets[2], 111);
    const out = poll(a);
    expect(out.map((f) => f.ts)).toEqual([0, 3000]);
    expect(out[0].data).toEqual(frames[0]);
  });

  it('gives up on a frame that cannot complete, drops to the next keyframe and requests one', () => {
    const { packets } = stream([3000, 500, 500, 500], [0, 3]);
    const a = new VideoFrameAssembler({ maxWaitMs: 100, keyframeRequestIntervalMs: 1 });
    // Packet 1 of frame 0 never arrives; frames 1, 2 are deltas; frame 3 is a keyframe.
    packets.forEach((p, i) => i === 1 || push(a, p, 0));
    expect(a.tick(0)).toBe(false);
    expect(poll(a)).toEqual([]);
    expect(a.tick(150)).toBe(false); // gave up, but a keyframe is already buffered
    expect(poll(a).map((f) => [f.ts, f.key])).toEqual([[9000, true]]);
    expect(a.counters.framesDropped).toBe(1);
  });

  it('requests a keyframe when it gives up with no keyframe buffered', () => {
    const { packets } = stream([3000, 500], [0]);
    const a = new VideoFrameAssembler({ maxWaitMs: 100 });
    packets.forEach((p, i) => i === 1 || push(a, p, 0));
    a.tick(0);
    expect(a.tick(150)).toBe(true);
    expect(a.needsKeyframe).toBe(true);
  });

  it('drops duplicates and packets older than the playout point', () => {
    const { packets } = stream([500, 500], [0]);
    const a = new VideoFrameAssembler();
    expect(push(a, packets[0], 0)).toBe('stored');
    expect(push(a, packets[0], 0)).toBe('duplicate');
    poll(a);
    expect(push(a, packets[0], 0)).toBe('old');
  });

  it('never throws on random packets and never releases a frame twice', () => {
    const { packets } = stream([2000, 700, 2500, 300], [0, 2]);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.nat(packets.length - 1), fc.uint8Array({ minLength: 12, maxLength: 40 })), { maxLength: 30 }),
        (items) => {
          const a = new VideoFrameAssembler({ capacity: 16, maxWaitMs: 50 });
          const seen = new Set<number>();
          const nacks = new Uint16Array(8);
          let now = 0;
          for (const item of items) {
            now += 10;
            const bytes = typeof item === 'number' ? packets[item] : item;
            if (typeof item !== 'number') bytes[0] = 0x80;
            const h = createRtpHeader();
            if (parseRtpHeader(bytes, 0, bytes.length, h)) continue;
            a.push(bytes, h, now);
            a.collectNacks(now, nacks);
            a.tick(now);
            while (a.pollFrame()) {
              if (typeof item === 'number' && seen.has(a.frameTimestamp)) return false;
              seen.add(a.frameTimestamp);
            }
          }
          return true;
        },
      ),
    );
  });
});
