// The sans-IO TURN client (src/main/net/turn) against a real TURN server: coturn on 127.0.0.1 with
// long-term credentials, driven through real UDP and TCP sockets. A plain UDP socket on 127.0.0.1
// plays the peer (coturn denies loopback peers unless told --allow-loopback-peers). Refresh is
// exercised by moving the client's clock forward: the client only knows the time it is given.
import { describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { Socket as TcpSocket } from 'node:net';
import { TcpFramer, TurnClient } from '../../src/main/net/turn';
import type { TurnClientOptions, TurnEvent } from '../../src/main/net/turn';
import type { TransportAddress } from '../../src/main/net/stun';
import { coturnForSuite, LOOPBACK_RELAY } from './coturn';
import { findPeer } from './peers';
import { peerPort } from './ports';

const turnserver = findPeer('turnserver', 'coturn');

/** Runs a TurnClient over one socket with the real clock (plus a skew the test may advance). */
class Driver {
  readonly client: TurnClient;
  readonly events: TurnEvent[] = [];
  /** First byte of every message from the server, to tell ChannelData (0x40-0x4F) from STUN. */
  readonly firstBytes: number[] = [];
  /** First byte of everything sent to the server. */
  readonly sentFirstBytes: number[] = [];
  skew = 0;
  private timer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private readonly epoch = performance.now();

  constructor(
    options: Omit<TurnClientOptions, 'now'>,
    private readonly write: (bytes: Uint8Array) => void,
  ) {
    this.client = new TurnClient({ ...options, now: this.now() });
    this.pump();
  }

  now(): number {
    return performance.now() - this.epoch + this.skew;
  }

  input(bytes: Uint8Array): void {
    this.firstBytes.push(bytes[0]);
    this.client.handleInput(bytes, this.now());
    this.pump();
  }

  /** Does whatever the client asks: sends, collects events, arms its timer. */
  pump(): void {
    for (let t = this.client.pollTransmit(); t; t = this.client.pollTransmit()) {
      this.sentFirstBytes.push(t[0]);
      this.write(t);
    }
    for (let e = this.client.pollEvent(); e; e = this.client.pollEvent()) this.events.push(e);
    clearTimeout(this.timer);
    const at = this.client.nextTimeout();
    if (at !== undefined) {
      this.timer = setTimeout(() => {
        this.client.handleTimeout(this.now());
        this.pump();
      }, Math.max(0, at - this.now()));
    }
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves with the first event (already seen or coming) that matches; rejects after `ms`. */
  async event<T extends TurnEvent['type']>(type: T, ms = 5000): Promise<Extract<TurnEvent, { type: T }>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.events.findIndex((e) => e.type === type || e.type === 'error');
      if (i >= 0) {
        const [e] = this.events.splice(i, 1);
        if (e.type !== type) throw new Error(`expected ${type}, got ${JSON.stringify(e)}`);
        return e as Extract<TurnEvent, { type: T }>;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} event within ${ms} ms; events: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Jumps the client's clock to its next timer (a refresh) and runs it. */
  advanceToNextTimer(): void {
    const at = this.client.nextTimeout();
    if (at !== undefined && at > this.now()) this.skew += at - this.now();
    this.client.handleTimeout(this.now());
    this.pump();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

async function udpSocket(): Promise<UdpSocket> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
}

function u8(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

async function udpDriver(port: number, options: Partial<TurnClientOptions> = {}): Promise<{ driver: Driver; socket: UdpSocket }> {
  const socket = await udpSocket();
  const server: TransportAddress = { family: 'IPv4', address: '127.0.0.1', port };
  const driver = new Driver(
    { server, username: LOOPBACK_RELAY.username, password: LOOPBACK_RELAY.password, transport: 'udp', autoChannel: false, retransmit: { rtoMs: 100 }, ...options },
    (bytes) => socket.send(bytes, port, '127.0.0.1'),
  );
  socket.on('message', (m) => driver.input(u8(m)));
  return { driver, socket };
}

/** The next datagram `socket` receives, within `ms`. */
function nextDatagram(socket: UdpSocket, ms = 3000): Promise<{ bytes: Uint8Array; port: number; address: string }> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no datagram within ${ms} ms`)), ms);
    socket.once('message', (m, rinfo) => {
      clearTimeout(t);
      resolve({ bytes: u8(Buffer.from(m)), port: rinfo.port, address: rinfo.address });
    });
  });
}

describe.skipIf(!turnserver)('TURN client against coturn', () => {
  const coturn = coturnForSuite(turnserver!, LOOPBACK_RELAY.args);

  it("reports 'turn-auth' for a wrong password", async () => {
    const { driver, socket } = await udpDriver(coturn().port, { password: 'wrong' });
    try {
      await expect(driver.event('allocated')).rejects.toThrow(/turn-auth/);
    } finally {
      driver.stop();
      socket.close();
    }
  });

  it('allocates over UDP, relays both ways by Send/Data indications and by channels, refreshes and closes', async () => {
    const { driver, socket } = await udpDriver(coturn().port);
    const peer = await udpSocket();
    try {
      const allocated = await driver.event('allocated');
      expect(allocated.relayed.address).toBe('127.0.0.1');
      // No NAT: the server-reflexive address is our own socket.
      expect(allocated.mapped).toEqual({ family: 'IPv4', address: '127.0.0.1', port: socket.address().port });
      expect(allocated.lifetime).toBeGreaterThan(60);
      const peerAddress: TransportAddress = { family: 'IPv4', address: '127.0.0.1', port: peer.address().port };

      driver.client.addPermission('127.0.0.1', driver.now());
      driver.pump();
      expect(await driver.event('permission')).toEqual({ type: 'permission', peerIp: '127.0.0.1' });

      // Send indication (no channel yet): the peer gets the bytes from the relayed address.
      let got = nextDatagram(peer);
      driver.client.send(peerAddress, Uint8Array.of(1, 2, 3), driver.now());
      driver.pump();
      expect(driver.sentFirstBytes.at(-1)).toBe(0x00);
      let d = await got;
      expect([Array.from(d.bytes), d.port]).toEqual([[1, 2, 3], allocated.relayed.port]);

      // The peer answers: a Data indication.
      peer.send(Uint8Array.of(4, 5), allocated.relayed.port, '127.0.0.1');
      expect(await driver.event('data')).toEqual({ type: 'data', from: peerAddress, bytes: Uint8Array.of(4, 5) });
      expect(driver.firstBytes.at(-1)).toBe(0x00);

      // ChannelBind, then ChannelData both ways.
      driver.client.bindChannel(peerAddress, driver.now());
      driver.pump();
      const bound = await driver.event('channel-bound');
      got = nextDatagram(peer);
      driver.client.send(peerAddress, Uint8Array.of(6, 7, 8), driver.now());
      driver.pump();
      expect(driver.sentFirstBytes.at(-1)).toBe(bound.channel >> 8);
      d = await got;
      expect(Array.from(d.bytes)).toEqual([6, 7, 8]);
      peer.send(Uint8Array.of(9), allocated.relayed.port, '127.0.0.1');
      expect(await driver.event('data')).toEqual({ type: 'data', from: peerAddress, bytes: Uint8Array.of(9) });
      expect(driver.firstBytes.at(-1)).toBe(bound.channel >> 8);

      // Refresh: the permission's timer (4 min) comes first; run timers until the allocation's refresh answers.
      for (let i = 0; i < 5 && !driver.events.some((e) => e.type === 'refreshed'); i++) {
        driver.advanceToNextTimer();
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await driver.event('refreshed')).lifetime).toBeGreaterThan(60);
      expect(driver.events.filter((e) => e.type.endsWith('-failed') || e.type === 'error')).toEqual([]);

      // Still relaying after the refreshes.
      got = nextDatagram(peer);
      driver.client.send(peerAddress, Uint8Array.of(10), driver.now());
      driver.pump();
      expect(Array.from((await got).bytes)).toEqual([10]);

      driver.client.close(driver.now());
      driver.pump();
      await driver.event('closed');
      expect(driver.client.state).toBe('closed');
    } finally {
      driver.stop();
      socket.close();
      peer.close();
    }
  }, 20_000);

  it('allocates over TCP and relays ChannelData, padded to 4 bytes on the stream', async () => {
    const { port } = coturn();
    const tcp: TcpSocket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      tcp.once('connect', resolve);
      tcp.once('error', reject);
    });
    const framer = new TcpFramer();
    const server: TransportAddress = { family: 'IPv4', address: '127.0.0.1', port };
    const driver = new Driver({ server, username: LOOPBACK_RELAY.username, password: LOOPBACK_RELAY.password, transport: 'tcp', autoChannel: true }, (bytes) => tcp.write(bytes));
    const framingErrors: string[] = [];
    tcp.on('data', (chunk) => {
      const r = framer.push(u8(chunk));
      if (!r.ok) framingErrors.push(r.error);
      else for (const m of r.messages) driver.input(m);
    });
    const peer = await udpSocket();
    try {
      const allocated = await driver.event('allocated');
      expect(allocated.mapped).toEqual({ family: 'IPv4', address: '127.0.0.1', port: tcp.localPort });
      const peerAddress: TransportAddress = { family: 'IPv4', address: '127.0.0.1', port: peer.address().port };
      // autoChannel: the first send goes as a Send indication and binds a channel, which also
      // installs the permission; on the ordered stream coturn handles the bind first.
      let got = nextDatagram(peer);
      driver.client.send(peerAddress, Uint8Array.of(1), driver.now());
      driver.pump();
      expect(Array.from((await got).bytes)).toEqual([1]);
      await driver.event('channel-bound');
      got = nextDatagram(peer);
      driver.client.send(peerAddress, Uint8Array.of(1, 2, 3, 4, 5), driver.now());
      driver.pump();
      expect(driver.sentFirstBytes.at(-1)! >> 4).toBe(4);
      expect(Array.from((await got).bytes)).toEqual([1, 2, 3, 4, 5]);
      peer.send(Uint8Array.of(6, 7, 8, 9, 10, 11), allocated.relayed.port, '127.0.0.1');
      expect(await driver.event('data')).toEqual({ type: 'data', from: peerAddress, bytes: Uint8Array.of(6, 7, 8, 9, 10, 11) });
      expect(driver.firstBytes.at(-1)! >> 4).toBe(4);
      driver.client.close(driver.now());
      driver.pump();
      await driver.event('closed');
      expect(framingErrors).toEqual([]);
    } finally {
      driver.stop();
      tcp.destroy();
      peer.close();
    }
  }, 20_000);

  it("reports 'turn-unreachable' when nothing answers (short retransmit schedule)", async () => {
    const silent = await peerPort();
    const { driver, socket } = await udpDriver(silent, { retransmit: { rtoMs: 20, rc: 3, rm: 4 } });
    try {
      const started = Date.now();
      await expect(driver.event('allocated', 3000)).rejects.toThrow(/turn-unreachable/);
      // Sends at 0, 20, 60 ms, gives up at 140 ms.
      expect(driver.sentFirstBytes).toHaveLength(3);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      driver.stop();
      socket.close();
    }
  });
});
