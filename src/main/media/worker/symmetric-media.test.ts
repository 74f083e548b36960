// Symmetric media without ICE, on loopback UDP with a NAT played by sockets: the callee's SDP
// names a port nobody answers from (its private address), its packets reach the caller from
// another port (its public mapping). ZRTP replies follow ZRTP; RTP moves only after SRTP from the
// new source authenticates, so a forged packet from elsewhere moves nothing.
import { describe, it, expect, afterEach } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { CallMedia } from './call-media';
import type { MainToWorker, StreamStart, WorkerToMain } from '../worker-protocol';
import { toneAudioStart } from './test-support';

type Msg = WorkerToMain;

interface Side {
  media: CallMedia;
  messages: Msg[];
  send(m: MainToWorker): Promise<void>;
}

function side(): Side {
  const messages: Msg[] = [];
  const media = new CallMedia((m) => messages.push(m), undefined);
  return { media, messages, send: (m) => media.handle(m) };
}

async function until<T>(what: string, get: () => T | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const isRtp = (b: Buffer): boolean => b.length >= 12 && (b[0] & 0xc0) === 0x80 && !(b[1] >= 192 && b[1] <= 223);
const isZrtp = (b: Buffer): boolean => b.length >= 12 && b[0] === 0x10;

/** A UDP socket on loopback that counts the RTP and ZRTP it receives. */
interface Tap {
  socket: Socket;
  port: number;
  rtp: number;
  zrtp: number;
}

async function tap(onMessage?: (b: Buffer) => void): Promise<Tap> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const t: Tap = { socket, port: socket.address().port, rtp: 0, zrtp: 0 };
  socket.on('message', (b) => {
    if (isRtp(b)) t.rtp++;
    if (isZrtp(b)) t.zrtp++;
    onMessage?.(b);
  });
  return t;
}

const sockets: Socket[] = [];
const sides: Side[] = [];
afterEach(async () => {
  await Promise.all(sides.splice(0).map((s) => s.media.close()));
  for (const s of sockets.splice(0)) s.close();
});

const audio = (remotePort: number, hash: string | undefined): StreamStart => toneAudioStart({ mode: 'zrtp', peerHelloHash: hash }, remotePort);

const secure = (s: Side) => () => s.messages.some((m) => m.type === 'zrtp' && m.report.kind === 'secure');
const audioStats = (s: Side) => {
  for (let i = s.messages.length - 1; i >= 0; i--) {
    const m = s.messages[i];
    if (m.type === 'stats') return m.streams.find((x) => x.stream === 'audio');
  }
  return undefined;
};

/**
 * Caller A and callee B. B's SDP names `dead` (its private address); B sends to `front`, and what
 * arrives there reaches A from `mapping.current` (B's public mapping), whose replies go back to B.
 */
async function callThroughNat() {
  const a = side();
  const b = side();
  sides.push(a, b);
  const init = (role: 'caller' | 'callee'): MainToWorker => ({
    type: 'init',
    callId: 1,
    zid: randomBytes(12).toString('hex'),
    cache: {},
    preferences: { keyAgreements: ['X255'], sasTypes: ['B32'] },
    role,
    host: '127.0.0.1',
  });
  await a.send(init('caller'));
  await b.send(init('callee'));
  await a.send({ type: 'openStream', stream: 'audio', rtcpMux: true });
  await b.send({ type: 'openStream', stream: 'audio', rtcpMux: true });
  const opened = (s: Side) => until('streamOpened', () => s.messages.find((m): m is Extract<Msg, { type: 'streamOpened' }> => m.type === 'streamOpened'));
  const ao = await opened(a);
  const bo = await opened(b);

  const dead = await tap();
  const mapping: { current?: Tap } = {};
  const front = await tap((m) => mapping.current?.socket.send(m, ao.rtpPort, '127.0.0.1'));
  const toB = (m: Buffer) => front.socket.send(m, bo.rtpPort, '127.0.0.1');
  const first = await tap(toB);
  const second = await tap(toB);
  mapping.current = first;
  sockets.push(dead.socket, front.socket, first.socket, second.socket);

  await b.send({ type: 'startStream', ...audio(front.port, ao.helloHash) });
  await a.send({ type: 'startStream', ...audio(dead.port, bo.helloHash) });
  await until('both sides secure', () => secure(a)() && secure(b)());
  return { a, b, ao, dead, first, second, mapping };
}

describe('symmetric media without ICE', () => {
  it('answers ZRTP where it came from and sends media where authenticated SRTP came from', async () => {
    const { b, dead, first } = await callThroughNat();
    // A's SDP said `dead`: the handshake completed only because A answered B's mapping.
    expect(first.zrtp).toBeGreaterThan(0);
    await until('A sending RTP to B’s mapping', () => first.rtp > 10);
    const deadRtp = dead.rtp;
    await until('B receiving audio', () => (audioStats(b)?.packetsReceived ?? 0) > 10);
    // Ten more packets reach B's mapping (200 ms of audio) and not one goes to the SDP's address.
    const toMapping = first.rtp;
    await until('ten more packets to B’s mapping', () => first.rtp >= toMapping + 10);
    expect(dead.rtp).toBe(deadRtp);
  });

  it('does not move media for a forged RTP packet from a new port', async () => {
    const { a, ao, first } = await callThroughNat();
    await until('A sending RTP to B’s mapping', () => first.rtp > 5);
    const forger = await tap();
    sockets.push(forger.socket);
    const forged = Buffer.alloc(12 + 160 + 10);
    forged[0] = 0x80;
    for (let i = 0; i < 20; i++) {
      forged.writeUInt16BE(1000 + i, 2);
      forged.writeUInt32BE(160 * i, 4);
      randomBytes(4).copy(forged, 8);
      randomBytes(10).copy(forged, 12 + 160);
      forger.socket.send(forged, ao.rtpPort, '127.0.0.1');
    }
    const before = first.rtp;
    await until('auth drops counted by A', () => (audioStats(a)?.dropped.auth ?? 0) >= 20, 3000);
    expect(forger.rtp).toBe(0);
    expect(first.rtp).toBeGreaterThan(before);
  });

  it('moves media to a new port once SRTP from it authenticates (a NAT rebinding)', async () => {
    const { b, first, second, mapping } = await callThroughNat();
    await until('A sending RTP to the first mapping', () => first.rtp > 5);
    mapping.current = second;
    await until('A sending RTP to the new mapping', () => second.rtp > 10, 3000);
    const firstAfter = first.rtp;
    const bReceived = audioStats(b)?.packetsReceived ?? 0;
    await until('B still receiving audio', () => (audioStats(b)?.packetsReceived ?? 0) > bReceived + 10, 3000);
    // While B got ten more packets, at most a packet or two already in flight at the switch went to the old mapping.
    expect(first.rtp - firstAfter).toBeLessThanOrEqual(2);
  });
});
