import { describe, it, expect } from 'vitest';
import { createSocket } from 'node:dgram';
import { MediaSocket } from './media-socket';
import type { PacketBuffer } from '../../../crypto/packet-buffer';
import { until } from './test-support';

function rtpPacket(pt: number, seq: number): Uint8Array {
  const b = new Uint8Array(172);
  b[0] = 0x80;
  b[1] = pt;
  b[2] = seq >> 8;
  b[3] = seq & 0xff;
  return b;
}

const LOOPBACK = { host: '127.0.0.1' };
describe('MediaSocket', () => {
  it('demultiplexes RTP, RTCP and ZRTP on one loopback socket and counts what it drops', async () => {
    const got: string[] = [];
    let rx!: MediaSocket;
    const done = new Promise<void>((resolve) => {
      const take = (kind: string) => (p: PacketBuffer) => {
        got.push(`${kind}:${p.length}`);
        rx.pool.give(p);
        if (got.length === 3) resolve();
      };
      void MediaSocket.open({
        rtp: take('rtp'),
        rtcp: take('rtcp'),
        zrtp: (b) => {
          got.push(`zrtp:${b.length}`);
          if (got.length === 3) resolve();
        },
      }, LOOPBACK).then((s) => {
        rx = s;
      });
    });
    while (!rx) await new Promise((r) => setTimeout(r, 5));
    const tx = createSocket('udp4');
    const send = (b: Uint8Array) => new Promise<void>((r) => tx.send(b, rx.port, '127.0.0.1', () => r()));
    await send(new Uint8Array([0x17, 0xfe, 0xfd, 0, 0])); // DTLS: counted, dropped
    await send(new Uint8Array([0xff, 1, 2])); // garbage
    await send(rtpPacket(0, 1));
    const rr = new Uint8Array(8);
    rr[0] = 0x80;
    rr[1] = 201;
    rr[3] = 1;
    await send(rr);
    const zrtp = new Uint8Array(40);
    zrtp.set([0x10, 0, 0, 1, 0x5a, 0x52, 0x54, 0x50]);
    await send(zrtp);
    await done;
    tx.close();
    expect(got.sort()).toEqual(['rtcp:8', 'rtp:172', 'zrtp:40']);
    expect(rx.counters).toMatchObject({ rtp: 1, rtcp: 1, zrtp: 1, dtls: 1, unknown: 1 });
    await rx.close();
  });

  it('returns sent buffers to the pool', async () => {
    const a = await MediaSocket.open({}, LOOPBACK);
    let resolveLength!: (n: number) => void;
    const received = new Promise<number>((r) => (resolveLength = r));
    const b = await MediaSocket.open({ rtp: (p) => resolveLength(p.length) }, LOOPBACK);
    const p = a.pool.take();
    p.assign(rtpPacket(96, 7));
    const before = a.pool.available;
    a.send(p, { address: '127.0.0.1', port: b.port });
    // To an IP literal the kernel has the datagram when send returns: the buffer is back at once.
    expect(a.pool.available).toBe(before + 1);
    expect(await received).toBe(172);
    await b.close();
    await a.close();
  });

  it('keeps a buffer sent to a name out of the pool until the datagram left', async () => {
    const a = await MediaSocket.open({}, LOOPBACK);
    let resolveFirst!: (b: number) => void;
    const received = new Promise<number>((r) => (resolveFirst = r));
    const b = await MediaSocket.open({ rtp: (p) => resolveFirst(p.payload()[3]) }, LOOPBACK);
    const p = a.pool.take();
    p.assign(rtpPacket(96, 7));
    const before = a.pool.available;
    a.send(p, { address: 'localhost', port: b.port });
    // The resolver answers later: the bytes must stay as they are until then.
    expect(a.pool.available).toBe(before);
    expect(await received).toBe(7);
    await until('the sent buffer back in the pool', () => a.pool.available === before + 1);
    await b.close();
    await a.close();
  });
});

describe('MediaSocket through a TURN relay (RFC 8656 §12)', () => {
  it('frames an RTP packet as ChannelData in its headroom and sends it to the TURN server', async () => {
    const a = await MediaSocket.open({}, LOOPBACK);
    const server = createSocket('udp4');
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
    const got = new Promise<Buffer>((r) => server.once('message', (m) => r(m)));
    const relay = { server: { address: '127.0.0.1', port: server.address().port }, channel: 0x4001, wrap: () => new Uint8Array(0) };
    const p = a.pool.take();
    p.assign(rtpPacket(96, 9));
    const headroom = p.headroom;
    const free = a.pool.available;
    a.send(p, { address: '203.0.113.7', port: 4000, relay });
    const m = await got;
    expect(m.length).toBe(176);
    expect([...m.subarray(0, 4)]).toEqual([0x40, 0x01, 0, 172]);
    expect(m[4]).toBe(0x80);
    await until('the sent buffer back in the pool', () => a.pool.available === free + 1);
    expect(a.pool.take().headroom).toBe(headroom);
    server.close();
    await a.close();
  });

  it('uses the relay wrapper (a Send indication) while no channel is bound', async () => {
    const a = await MediaSocket.open({}, LOOPBACK);
    const server = createSocket('udp4');
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
    const got = new Promise<Buffer>((r) => server.once('message', (m) => r(m)));
    const wrapped: number[] = [];
    const relay = { server: { address: '127.0.0.1', port: server.address().port }, channel: 0, wrap: (b: Uint8Array) => (wrapped.push(b.length), new Uint8Array([0, 0x16, 0, 0, ...b.subarray(0, 4)])) };
    a.sendBytes(new Uint8Array(40).fill(7), { address: '203.0.113.7', port: 4000, relay });
    expect([...(await got)]).toEqual([0, 0x16, 0, 0, 7, 7, 7, 7]);
    expect(wrapped).toEqual([40]);
    server.close();
    await a.close();
  });

  it('hands ChannelData to its handler and dispatches a relayed payload as from the peer', async () => {
    const seen: string[] = [];
    const rx = await MediaSocket.open({ channelData: (b, from) => seen.push(`channel:${b.length}:${from.port}`) }, LOOPBACK);
    rx.setHandlers({
      channelData: (b, from) => {
        seen.push(`channel:${b.length}:${from.port}`);
        rx.dispatch(b, 4, b.length, { address: '203.0.113.7', port: 4000, family: 'IPv4', size: b.length - 4 });
      },
      rtp: (p, from) => {
        seen.push(`rtp:${p.length}:${from.address}:${from.port}`);
        rx.pool.give(p);
      },
    });
    const tx = createSocket('udp4');
    const framed = new Uint8Array(4 + 172);
    framed.set([0x40, 0x02, 0, 172]);
    framed.set(rtpPacket(96, 3), 4);
    await new Promise<void>((r) => tx.send(framed, rx.port, '127.0.0.1', () => r()));
    for (let i = 0; i < 50 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([`channel:176:${tx.address().port}`, 'rtp:172:203.0.113.7:4000']);
    expect(rx.counters.turnChannel).toBe(1);
    tx.close();
    await rx.close();
  });

  it('sends to an IP literal and to a name (its lookup answers literals at once, names through DNS)', async () => {
    const rx = createSocket('udp4');
    await new Promise<void>((r) => rx.bind(0, '127.0.0.1', () => r()));
    const got: string[] = [];
    rx.on('message', (m) => got.push(m.toString()));
    const tx = await MediaSocket.open({}, LOOPBACK);
    const port = rx.address().port;
    tx.sendBytes(new TextEncoder().encode('literal'), { address: '127.0.0.1', port });
    tx.sendBytes(new TextEncoder().encode('name'), { address: 'localhost', port });
    const end = Date.now() + 3000;
    while (got.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    expect(got.sort()).toEqual(['literal', 'name']);
    await tx.close();
    rx.close();
  });
});
