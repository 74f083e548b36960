import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PortsUnavailable, SLOT_SIZE, claimSlot, createPortAllocator, ephemeralRange, isBound, isFree, peerPool, peerPort, peerPorts, processPortRange, udpReceiveQueue, untilBound, untilUdpDrained, type PortRange } from './ports';

const held: Array<Socket | Server> = [];
afterEach(async () => {
  for (const h of held.splice(0)) await new Promise<void>((r) => h.close(() => r()));
});

async function holdUdp(port: number): Promise<void> {
  const s = createSocket('udp4');
  held.push(s);
  await new Promise<void>((r) => s.bind(port, '127.0.0.1', () => r()));
}

async function holdTcp(port: number): Promise<void> {
  const s = createServer();
  held.push(s);
  await new Promise<void>((r) => s.listen(port, '127.0.0.1', () => r()));
}

const overlaps = (a: PortRange, b: PortRange): boolean => a.first <= b.last && b.first <= a.last;

describe('peer port pool', () => {
  it('lies outside the ephemeral range, where port-0 binds land', () => {
    expect(peerPool({ first: 32768, last: 60999 })).toEqual({ first: 10000, last: 32767 });
    expect(peerPool({ first: 10000, last: 20000 })).toEqual({ first: 20001, last: 65535 });
    expect(() => peerPool({ first: 1024, last: 65000 })).toThrow(PortsUnavailable);
    const eph = ephemeralRange();
    expect(overlaps(peerPool(), eph)).toBe(false);
  });
});

describe('createPortAllocator', () => {
  it('hands out each port of its range once per round, skipping ports held for UDP or for TCP', async () => {
    const first = await peerPorts(6);
    const range = { first, last: first + 5 };
    await holdUdp(first + 1);
    await holdTcp(first + 3);
    const a = createPortAllocator(range);
    const got = [await a.next(), await a.next(), await a.next(), await a.next(), await a.next()];
    expect(got).toEqual([first, first + 2, first + 4, first + 5, first]);
  });

  it('gives aligned blocks of free ports, and concurrent calls distinct ones', async () => {
    const first = await peerPorts(12, 2);
    expect(first % 2).toBe(0);
    const a = createPortAllocator({ first, last: first + 11 });
    await holdUdp(first + 1); // blocks the pair at first
    const blocks = await Promise.all([a.next(2, 2), a.next(2, 2), a.next(2, 2)]);
    expect(new Set(blocks).size).toBe(3);
    for (const b of blocks) {
      expect(b % 2).toBe(0);
      expect(b).not.toBe(first);
      expect(await isFree(b)).toBe(true);
      expect(await isFree(b + 1)).toBe(true);
    }
  });

  it('says so with a typed error when no block is free, instead of handing out a held port', async () => {
    const first = await peerPorts(2);
    await holdUdp(first);
    await holdTcp(first + 1);
    const a = createPortAllocator({ first, last: first + 1 });
    await expect(a.next()).rejects.toBeInstanceOf(PortsUnavailable);
    await expect(a.next(3)).rejects.toBeInstanceOf(PortsUnavailable);
  });
});

describe('slots', () => {
  it('gives every live process its own range: another process and a second claim here get disjoint ones', async () => {
    const ours = await processPortRange();
    expect(ours.last - ours.first + 1).toBe(SLOT_SIZE - 1);
    const script = `import('./test/interop/ports.ts').then(async (m) => { console.log(JSON.stringify(await m.processPortRange())); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const theirs = await new Promise<PortRange>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(JSON.parse(out) as PortRange);
        });
        child.once('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
      });
      expect(overlaps(ours, theirs)).toBe(false);
      const third = await claimSlot();
      try {
        expect(overlaps(third.range, ours)).toBe(false);
        expect(overlaps(third.range, theirs)).toBe(false);
      } finally {
        await third.release();
      }
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('hands out peer ports from this process range, free for UDP and TCP', async () => {
    const ours = await processPortRange();
    const ports = [await peerPort(), await peerPort(), await peerPorts(4, 2)];
    expect(new Set(ports).size).toBe(3);
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(ours.first);
      expect(p).toBeLessThanOrEqual(ours.last);
      expect(await isFree(p)).toBe(true);
    }
    expect(ports[2]! % 2).toBe(0);
  });
});

describe('isBound / untilBound (read from /proc/net, never binding)', () => {
  it('sees a UDP socket and a TCP listener on a port, and nothing on a free one', async () => {
    const [udp, tcp] = [await peerPort(), await peerPort()];
    expect(isBound(udp, 'udp')).toBe(false);
    expect(isBound(tcp, 'tcp')).toBe(false);
    await holdUdp(udp);
    await holdTcp(tcp);
    expect(isBound(udp, 'udp')).toBe(true);
    expect(isBound(tcp, 'tcp')).toBe(true);
    expect(isBound(udp, 'tcp')).toBe(false);
  });

  it('waits for a later bind, and gives up after its timeout', async () => {
    const port = await peerPort();
    const later = setTimeout(() => void holdUdp(port), 50);
    try {
      await untilBound(port, 'udp', 2000);
      expect(isBound(port, 'udp')).toBe(true);
    } finally {
      clearTimeout(later);
    }
    await expect(untilBound(await peerPort(), 'udp', 50)).rejects.toThrow(/within 50 ms/);
  });
});

describe('udpReceiveQueue / untilUdpDrained', () => {
  it('sees datagrams a busy peer has not read yet, and waits for a reading one to read them', async () => {
    // A peer that binds, says its port and, before its event loop runs again, blocks its thread
    // for 5 s: it reads nothing (stdout to a pipe is written synchronously on Linux).
    const script = `const s=require('node:dgram').createSocket('udp4');s.bind(0,'127.0.0.1',()=>{console.log(s.address().port);Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0,5000)})`;
    const busy = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const sender = createSocket('udp4');
    held.push(sender);
    try {
      const busyPort = await new Promise<number>((r) => busy.stdout.once('data', (d: Buffer) => r(Number(d.toString().trim()))));
      await new Promise<void>((r) => sender.send(Buffer.alloc(100), busyPort, '127.0.0.1', () => r()));
      expect(udpReceiveQueue(busyPort)).toBeGreaterThan(0);
      await expect(untilUdpDrained(busyPort, 100)).rejects.toThrow(/unread after 100 ms/);
    } finally {
      busy.kill('SIGKILL');
    }

    const port = await peerPort();
    const reader = createSocket('udp4');
    held.push(reader);
    let received = 0;
    reader.on('message', () => received++);
    await new Promise<void>((r) => reader.bind(port, '127.0.0.1', () => r()));
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => sender.send(Buffer.alloc(100), port, '127.0.0.1', () => r()));
    await untilUdpDrained(port, 2000);
    expect(udpReceiveQueue(port)).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(received).toBe(5);
    expect(udpReceiveQueue(await peerPort())).toBeUndefined();
  });
});
