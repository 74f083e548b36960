// One side of an ICE test on loopback: a real MediaSocket with an IceTransport on it, recording
// the paths it is given, its failures and the ZRTP and RTP packets that reach it (ice-relay-*.test.ts).
import type { RemoteInfo } from 'node:dgram';
import { MediaSocket, type Endpoint } from '../../src/main/media/worker/media-socket';
import { IceTransport } from '../../src/main/media/worker/ice-transport';
import type { IceServerSpec } from '../../src/main/media/worker-protocol';

export interface IceSide {
  socket: MediaSocket;
  ice: IceTransport;
  paths: { to: Endpoint; kind: string; selected: boolean }[];
  failures: string[];
  zrtp: string[];
  rtp: string[];
}

export async function iceSide(controlling: boolean, servers: IceServerSpec, relayOnly: boolean): Promise<IceSide> {
  const zrtp: string[] = [];
  const rtp: string[] = [];
  const socket = await MediaSocket.open({}, { host: '127.0.0.1' });
  const paths: IceSide['paths'] = [];
  const failures: string[] = [];
  const ice = new IceTransport(socket, { address: '127.0.0.1', port: socket.port }, servers, controlling, {
    path: (to, _pair, kind, selected) => paths.push({ to, kind, selected }),
    failed: (reason) => failures.push(reason),
    consentLost: () => failures.push('consent-lost'),
    log: () => undefined,
  }, { relayOnly });
  socket.setHandlers({
    zrtp: (p: Uint8Array, from: RemoteInfo) => zrtp.push(`${p.length}@${from.address}:${from.port}`),
    rtp: (p, from) => {
      rtp.push(`${p.length}@${from.address}:${from.port}`);
      socket.pool.give(p);
    },
    stun: (p, f) => ice.onStun(p, f),
    channelData: (p, f) => ice.onChannelData(p, f),
  });
  await ice.gathered(3000);
  return { socket, ice, paths, failures, zrtp, rtp };
}

/** Closes each side's ICE transport, then (after a moment for its last sends) its socket. */
export const closeSides = async (sides: IceSide[]): Promise<void> => {
  for (const s of sides) {
    s.ice.close();
    await new Promise((r) => setTimeout(r, 20));
    await s.socket.close();
  }
};

export const until = async (what: string, check: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** A ZRTP-shaped datagram (first byte 0x10, the "ZRTP" cookie, RFC 6189 §5), 40 bytes. */
export const zrtpPacket = (): Uint8Array => {
  const z = new Uint8Array(40);
  z.set([0x10, 0, 0, 1, 0x5a, 0x52, 0x54, 0x50]);
  return z;
};
