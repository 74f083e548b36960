// ICE on a stream's real socket, over loopback: two IceTransports exchange their candidates (as
// SDP would), checks run through real UDP sockets, and each side gets a path it can send on.
import { describe, it, expect } from 'vitest';
import type { RemoteInfo } from 'node:dgram';
import { MediaSocket, type Endpoint } from './media-socket';
import { IceTransport } from './ice-transport';
import type { IcePair } from '../../net/ice';
import { until } from './test-support';

interface Side {
  socket: MediaSocket;
  ice: IceTransport;
  paths: { to: Endpoint; kind: string; selected: boolean; pair: IcePair }[];
  zrtp: string[];
  consentLost: number;
}

async function side(controlling: boolean, tuning: { checkRc?: number; checkRm?: number; consentIntervalMs?: number; consentTimeoutMs?: number } = {}): Promise<Side> {
  const zrtp: string[] = [];
  const result = { consentLost: 0 } as Side;
  const socket = await MediaSocket.open({ zrtp: (p: Uint8Array, from: RemoteInfo) => zrtp.push(`${p.length}@${from.port}`) }, { host: '127.0.0.1' });
  const paths: Side['paths'] = [];
  const ice = new IceTransport(socket, { address: '127.0.0.1', port: socket.port }, { stun: [], turn: [] }, controlling, {
    path: (to, pair, kind, selected) => paths.push({ to, pair, kind, selected }),
    failed: (reason) => paths.push({ to: { address: '', port: 0 }, pair: undefined as unknown as IcePair, kind: `failed:${reason}`, selected: false }),
    consentLost: () => (result.consentLost += 1),
    log: () => undefined,
  }, tuning);
  const existing = { zrtp: undefined as ((p: Uint8Array, f: RemoteInfo) => void) | undefined };
  existing.zrtp = (p, from) => zrtp.push(`${p.length}@${from.port}`);
  socket.setHandlers({ zrtp: existing.zrtp, stun: (p, f) => ice.onStun(p, f), channelData: (p, f) => ice.onChannelData(p, f) });
  await ice.gathered(100);
  Object.assign(result, { socket, ice, paths, zrtp });
  return result;
}

describe('IceTransport on loopback sockets', () => {
  it('gathers the bound address as its one host candidate, with RFC 8445 credentials', async () => {
    const a = await side(true);
    expect(a.ice.candidates()).toEqual([`${a.ice.candidates()[0].split(' ')[0]} 1 UDP 2130706431 127.0.0.1 ${a.socket.port} typ host`]);
    expect(a.ice.ufrag).toMatch(/^[A-Za-z0-9+/]{8}$/);
    expect(a.ice.pwd).toMatch(/^[A-Za-z0-9+/]{24}$/);
    // No STUN server, no srflx: the SDP keeps its own address and port.
    expect(a.ice.defaultCandidate()).toBeUndefined();
    a.ice.close();
    await a.socket.close();
  });

  it('finds the host pair both ways, nominates it, and the path carries packets', async () => {
    const a = await side(true);
    const b = await side(false);
    a.ice.setRemote({ ufrag: b.ice.ufrag, pwd: b.ice.pwd, candidates: b.ice.candidates() });
    b.ice.setRemote({ ufrag: a.ice.ufrag, pwd: a.ice.pwd, candidates: a.ice.candidates() });
    // How fast is bench/lab-ice.mjs's question; here only that it happens (a loaded CI host can
    // stall this process for seconds).
    await until('both selected', () => a.paths.some((p) => p.selected) && b.paths.some((p) => p.selected), 10_000);
    expect(a.paths[0]).toMatchObject({ kind: 'host', to: { address: '127.0.0.1', port: b.socket.port } });
    expect(b.paths[0]).toMatchObject({ kind: 'host', to: { address: '127.0.0.1', port: a.socket.port } });
    expect(a.paths[0].pair.rttMs).toBeGreaterThanOrEqual(0);
    // A ZRTP-shaped datagram sent on A's path reaches B's ZRTP handler.
    const zrtp = new Uint8Array(40);
    zrtp.set([0x10, 0, 0, 1, 0x5a, 0x52, 0x54, 0x50]);
    a.socket.sendBytes(zrtp, a.paths[0].to);
    await until('zrtp at b', () => b.zrtp.length > 0);
    expect(b.zrtp[0]).toBe(`40@${a.socket.port}`);
    for (const s of [a, b]) {
      s.ice.close();
      await s.socket.close();
    }
  });

  it('loses consent when the peer stops answering (RFC 7675) and says so once', async () => {
    const consent = { consentIntervalMs: 100, consentTimeoutMs: 600 };
    const a = await side(true, consent);
    const b = await side(false, consent);
    a.ice.setRemote({ ufrag: b.ice.ufrag, pwd: b.ice.pwd, candidates: b.ice.candidates() });
    b.ice.setRemote({ ufrag: a.ice.ufrag, pwd: a.ice.pwd, candidates: a.ice.candidates() });
    await until('both selected', () => a.paths.some((p) => p.selected) && b.paths.some((p) => p.selected));
    await new Promise((r) => setTimeout(r, 300));
    expect(a.consentLost).toBe(0);
    b.ice.close();
    await b.socket.close();
    await until('consent lost', () => a.consentLost > 0, 3000);
    await new Promise((r) => setTimeout(r, 300));
    expect(a.consentLost).toBe(1);
    a.ice.close();
    await a.socket.close();
  });

  it('says no-path when every check fails (the peer is not there)', async () => {
    const a = await side(true, { checkRc: 3, checkRm: 2 });
    const gone = await MediaSocket.open({}, { host: '127.0.0.1' });
    const port = gone.port;
    await gone.close();
    a.ice.setRemote({ ufrag: 'abcd', pwd: 'abcdefghijklmnopqrstuv', candidates: [`1 1 UDP 2130706431 127.0.0.1 ${port} typ host`] });
    await until('failed', () => a.paths.some((p) => p.kind === 'failed:no-path'), 8000);
    a.ice.close();
    await a.socket.close();
  }, 10_000);
});
