// ICE through a TURN allocation made over TCP (RFC 8656 §3.1: client to server over TCP, relayed
// over UDP), coturn on 127.0.0.1: one side offers only its relayed candidate, the other only its
// host candidate. Checks, a ZRTP-shaped packet and an RTP packet from the pool cross the relay
// both ways; on the TCP side everything to and from the server goes on the connection (no
// ChannelData ever reaches its UDP socket). Outside the network lab everything stays on loopback.
import { describe, it, expect } from 'vitest';
import { findPeer } from './peers';
import { coturnForSuite, LOOPBACK_RELAY } from './coturn';
import { closeSides, iceSide, until, zrtpPacket, type IceSide } from './ice-side';
import { peerPort } from './ports';
import type { Endpoint } from '../../src/main/media/worker/media-socket';

const turnserver = findPeer('turnserver', 'coturn');


/** RTP version 2, PT 0, 41 bytes: not a multiple of 4, so TCP ChannelData needs its padding (§12.5). */
const RTP = (): Uint8Array => {
  const r = new Uint8Array(41);
  r.set([0x80, 0x00, 0x00, 0x01, 0, 0, 0, 160, 0x11, 0x22, 0x33, 0x44]);
  return r;
};

const sendRtp = (s: IceSide, to: Endpoint): void => {
  const p = s.socket.pool.take();
  const bytes = RTP();
  expect(p.assignRange(bytes, 0, bytes.length)).toBeUndefined();
  s.socket.send(p, to);
};

describe.skipIf(!turnserver)('ICE through coturn, allocation over TCP', () => {
  const coturn = coturnForSuite(turnserver!, LOOPBACK_RELAY.args);

  it('selects the TCP-relayed pair and carries checks, ZRTP and RTP both ways', async () => {
    const server = { family: 'IPv4' as const, address: '127.0.0.1', port: coturn().port };
    const a = await iceSide(true, { stun: [], turn: [{ server, username: LOOPBACK_RELAY.username, password: LOOPBACK_RELAY.password, transport: 'tcp' }] }, true);
    const b = await iceSide(false, { stun: [], turn: [] }, false);
    try {
      expect(a.failures).toEqual([]);
      const relayed = a.ice.candidates();
      // The relayed candidate is UDP (the server relays UDP); its base is the TCP connection's
      // mapped address, whose port is not the UDP socket's.
      expect(relayed).toHaveLength(1);
      expect(relayed[0]).toMatch(/^\S+ 1 UDP \d+ 127\.0\.0\.1 \d+ typ relay raddr 127\.0\.0\.1 rport \d+$/);
      const relayPort = Number(relayed[0].split(' ')[5]);
      const t0 = performance.now();
      a.ice.setRemote({ ufrag: b.ice.ufrag, pwd: b.ice.pwd, candidates: b.ice.candidates() });
      b.ice.setRemote({ ufrag: a.ice.ufrag, pwd: a.ice.pwd, candidates: relayed });
      await until('both selected', () => a.paths.some((p) => p.selected) && b.paths.some((p) => p.selected));
      console.log(JSON.stringify({ bench: 'ice-relay-tcp-loopback', selectedMs: Math.round(performance.now() - t0) }));
      expect(a.paths.every((p) => p.kind === 'relay')).toBe(true);
      expect(b.paths.every((p) => p.kind === 'relay')).toBe(true);
      const aPath = a.paths[a.paths.length - 1].to;
      const bPath = b.paths[b.paths.length - 1].to;
      expect(aPath.relay?.server).toEqual({ address: '127.0.0.1', port: coturn().port });
      expect(aPath.relay?.channel).toBe(0);
      expect(typeof aPath.relay?.send).toBe('function');
      expect(bPath).toMatchObject({ address: '127.0.0.1', port: relayPort });
      a.socket.sendBytes(zrtpPacket(), aPath);
      b.socket.sendBytes(zrtpPacket(), bPath);
      await until('zrtp both ways', () => a.zrtp.length > 0 && b.zrtp.length > 0);
      expect(b.zrtp[0]).toBe(`40@127.0.0.1:${relayPort}`);
      expect(a.zrtp[0]).toBe(`40@127.0.0.1:${b.socket.port}`);
      // Media from the pool: A's through the TURN client onto the connection, B's plain UDP to the relay.
      for (let i = 0; i < 5; i++) {
        sendRtp(a, aPath);
        sendRtp(b, bPath);
      }
      await until('rtp both ways', () => a.rtp.length === 5 && b.rtp.length === 5);
      expect(b.rtp[0]).toBe(`41@127.0.0.1:${relayPort}`);
      expect(a.rtp[0]).toBe(`41@127.0.0.1:${b.socket.port}`);
      // Nothing from the TURN server reached A's UDP socket: the relay spoke TCP only.
      expect(a.socket.counters.turnChannel).toBe(0);
    } finally {
      await closeSides([a, b]);
    }
  }, 20_000);

  it("says 'turn-auth' over TCP when the TURN server refuses the password", async () => {
    const a = await iceSide(true, { stun: [], turn: [{ server: { family: 'IPv4', address: '127.0.0.1', port: coturn().port }, username: 'alice', password: 'wrong', transport: 'tcp' }] }, false);
    try {
      expect(a.failures).toEqual(['turn-auth']);
      expect(a.ice.candidates().every((c) => c.includes('typ host'))).toBe(true);
    } finally {
      await closeSides([a]);
    }
  });
});

describe('TURN over TCP, server down', () => {
  it("says 'turn-unreachable' at once when the connection is refused", async () => {
    // A port nobody listens on (a peer port, handed to no other socket): the connect is refused (RST), not lost.
    const port = await peerPort();
    const t0 = performance.now();
    const a = await iceSide(true, { stun: [], turn: [{ server: { family: 'IPv4', address: '127.0.0.1', port }, username: LOOPBACK_RELAY.username, password: LOOPBACK_RELAY.password, transport: 'tcp' }] }, false);
    try {
      expect(a.failures).toEqual(['turn-unreachable']);
      expect(performance.now() - t0).toBeLessThan(1000);
    } finally {
      await closeSides([a]);
    }
  });
});
