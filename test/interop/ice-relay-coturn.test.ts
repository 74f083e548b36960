// ICE through a real TURN relay (coturn on 127.0.0.1): one side offers only its relayed candidate
// (relay-only, so no direct pair exists), the other only its host candidate. Both sides' checks
// and then a ZRTP-shaped packet each way travel through coturn as ChannelData, and both call the
// path 'relay'. Outside the network lab everything stays on loopback.
import { describe, it, expect } from 'vitest';
import { findPeer } from './peers';
import { coturnForSuite, LOOPBACK_RELAY } from './coturn';
import { closeSides, iceSide, until, zrtpPacket } from './ice-side';
import type { IceServerSpec } from '../../src/main/media/worker-protocol';

const turnserver = findPeer('turnserver', 'coturn');


describe.skipIf(!turnserver)('ICE through coturn (relay-only side)', () => {
  const coturn = coturnForSuite(turnserver!, LOOPBACK_RELAY.args);

  it('selects the relayed pair and carries packets both ways through the relay', async () => {
    const turn: IceServerSpec = { stun: [], turn: [{ server: { family: 'IPv4', address: '127.0.0.1', port: coturn().port }, username: LOOPBACK_RELAY.username, password: LOOPBACK_RELAY.password }] };
    const a = await iceSide(true, turn, true);
    const b = await iceSide(false, { stun: [], turn: [] }, false);
    try {
      expect(a.failures).toEqual([]);
      const relayed = a.ice.candidates();
      expect(relayed).toHaveLength(1);
      expect(relayed[0]).toMatch(new RegExp(`^\\S+ 1 UDP \\d+ 127\\.0\\.0\\.1 \\d+ typ relay raddr 127\\.0\\.0\\.1 rport ${a.socket.port}$`));
      const relayPort = Number(relayed[0].split(' ')[5]);
      const t0 = performance.now();
      a.ice.setRemote({ ufrag: b.ice.ufrag, pwd: b.ice.pwd, candidates: b.ice.candidates() });
      b.ice.setRemote({ ufrag: a.ice.ufrag, pwd: a.ice.pwd, candidates: relayed });
      await until('both selected', () => a.paths.some((p) => p.selected) && b.paths.some((p) => p.selected));
      console.log(JSON.stringify({ bench: 'ice-relay-loopback', selectedMs: Math.round(performance.now() - t0) }));
      expect(a.paths.every((p) => p.kind === 'relay')).toBe(true);
      expect(b.paths.every((p) => p.kind === 'relay')).toBe(true);
      // A's path goes through the TURN server; B sends to A's relayed address.
      const aPath = a.paths[a.paths.length - 1].to;
      expect(aPath.relay?.server).toEqual({ address: '127.0.0.1', port: coturn().port });
      expect(b.paths[b.paths.length - 1].to).toMatchObject({ address: '127.0.0.1', port: relayPort });
      await until('channel bound', () => (aPath.relay?.channel ?? 0) >= 0x4000);
      a.socket.sendBytes(zrtpPacket(), aPath);
      b.socket.sendBytes(zrtpPacket(), b.paths[b.paths.length - 1].to);
      await until('zrtp both ways', () => a.zrtp.length > 0 && b.zrtp.length > 0);
      // B sees the relay's address as the source; A sees B's own address (unwrapped by A's transport).
      expect(b.zrtp[0]).toBe(`40@127.0.0.1:${relayPort}`);
      expect(a.zrtp[0]).toBe(`40@127.0.0.1:${b.socket.port}`);
      expect(a.socket.counters.turnChannel).toBeGreaterThan(0);
    } finally {
      await closeSides([a, b]);
    }
  }, 20_000);

  it("says 'turn-auth' when the TURN server refuses the password", async () => {
    const a = await iceSide(true, { stun: [], turn: [{ server: { family: 'IPv4', address: '127.0.0.1', port: coturn().port }, username: 'alice', password: 'wrong' }] }, false);
    try {
      expect(a.failures).toEqual(['turn-auth']);
      expect(a.ice.candidates().every((c) => c.includes('typ host'))).toBe(true);
    } finally {
      a.ice.close();
      await a.socket.close();
    }
  });
});
