// Asks the kernel whether a silent peer's media port is still open. A peer that was killed leaves
// a closed port, and the host answers every datagram sent to it with an ICMP port-unreachable
// (RFC 1122 §4.1.3.3). Linux reports those only to a connected UDP socket, and the media socket
// stays unconnected (it must hear the peer from wherever authenticated media comes, and a Linux
// UDP socket bound to an ephemeral port loses that port when disconnected). So a separate socket,
// connected to the peer, sends it empty datagrams while it is silent: an empty datagram carries
// nothing any RTP stack would act on (Vouch's demux counts it as short), and the ICMP errors come
// back as ECONNREFUSED. An early sign only: the silence rule decides (media-liveness.ts).

import { createSocket, type Socket } from 'node:dgram';
import type { Endpoint } from './media-socket';

const EMPTY = new Uint8Array(0);

export class UnreachableProbe {
  /** ICMP port-unreachable errors heard so far. */
  refused = 0;
  private connected = false;
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    readonly peer: Endpoint,
  ) {
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') this.refused++;
    });
  }

  /**
   * A probe towards `peer`, bound on `host` (the media address) when it is of the peer's address
   * family, else on that family's any-address; never throws (failures only leave it silent).
   */
  static open(host: string, peer: Endpoint): UnreachableProbe {
    const v6 = peer.address.includes(':');
    const bindHost = host.includes(':') === v6 ? host : v6 ? '::' : '0.0.0.0';
    const socket = createSocket({ type: v6 ? 'udp6' : 'udp4' });
    const probe = new UnreachableProbe(socket, { address: peer.address, port: peer.port });
    socket.bind(0, bindHost, () => {
      if (probe.closed) return;
      // A failed connect (ENETUNREACH when the network is gone) leaves the probe silent: a send
      // on an unconnected socket without a port would throw in the liveness tick.
      socket.connect(peer.port, peer.address, (err?: Error) => {
        if (!err) probe.connected = true;
      });
    });
    return probe;
  }

  /** One empty datagram to the peer (once connected): a closed port answers with ICMP. */
  poke(): void {
    if (!this.connected || this.closed) return;
    try {
      this.socket.send(EMPTY);
    } catch {
      // A socket the kernel took away mid-call: the silence rule still decides.
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}
