// What Linux reports when media goes to a port nobody listens on any more (a killed peer):
// nothing to the unconnected media socket, an ECONNREFUSED per datagram to a connected probe.
import { describe, it, expect } from 'vitest';
import { createSocket } from 'node:dgram';
import { MediaSocket } from './media-socket';
import { UnreachableProbe } from './unreachable-probe';
import { peerPort } from '../../../../test/interop/ports';
import { until } from './test-support';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A port nobody listens on: a peer port (test/interop/ports.ts) is handed to no other socket. */
const closedPort = peerPort;

function rtpPacket(seq: number): Uint8Array {
  const b = new Uint8Array(172);
  b[0] = 0x80;
  b[2] = seq >> 8;
  b[3] = seq & 0xff;
  return b;
}

describe('ICMP port unreachable (RFC 1122 §4.1.3.3)', () => {
  it('never reaches the unconnected media socket; a connected probe hears one per datagram', async () => {
    const to = { address: '127.0.0.1', port: await closedPort() };
    const media = await MediaSocket.open({}, { host: '127.0.0.1' });
    for (let i = 0; i < 10; i++) {
      const p = media.pool.take();
      p.assign(rtpPacket(i));
      media.send(p, to);
      await pause(10);
    }
    await pause(50);
    expect(media.portUnreachable).toBe(0);
    expect(media.sendErrors).toBe(0);
    await media.close();

    const probe = UnreachableProbe.open('127.0.0.1', to);
    for (let i = 0; i < 20; i++) {
      probe.poke();
      await pause(10);
    }
    // The first pokes may come before the connect completes (they are not sent); the rest each
    // draw an ICMP error, and none of them throws.
    await until('ten refusals', () => probe.refused >= 10);
    probe.close();
    probe.poke();
  });

  it('a live peer draws no error and receives only empty datagrams', async () => {
    const peer = createSocket('udp4');
    const sizes: number[] = [];
    peer.on('message', (m) => sizes.push(m.length));
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    const probe = UnreachableProbe.open('127.0.0.1', { address: '127.0.0.1', port: peer.address().port });
    for (let i = 0; i < 10; i++) {
      probe.poke();
      await pause(10);
    }
    // The peer reads what the connected probe sent (the pokes after its connect completed).
    await until('pokes at the peer', () => sizes.length > 0);
    expect(probe.refused).toBe(0);
    expect(new Set(sizes)).toEqual(new Set([0]));
    probe.close();
    peer.close();
  });
});
