// One UDP socket of a media stream. It carries STUN, ZRTP, RTP and RTCP together, told apart by
// the first byte (RFC 7983), so ICE can join later without a redesign. Each datagram arrives as a
// fresh Buffer from node:dgram; it is copied into a pooled PacketBuffer and from there on nothing
// is allocated per packet. Sent PacketBuffers go back to the pool when the kernel has them.

import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { PacketPool, type PacketBuffer } from '../../crypto/packet-buffer';
import { createDemuxCounters, demuxPacket, type DemuxCounters } from './demux';

export interface Endpoint {
  address: string;
  port: number;
}

export interface MediaSocketHandlers {
  /** ZRTP message (RFC 6189 §5): a copy of the datagram the handler may keep. */
  zrtp?(packet: Uint8Array, from: RemoteInfo): void;
  /** SRTP packet in a pooled buffer; the handler gives it back to `socket.pool` when done. */
  rtp?(packet: PacketBuffer, from: RemoteInfo): void;
  rtcp?(packet: PacketBuffer, from: RemoteInfo): void;
  stun?(packet: Uint8Array, from: RemoteInfo): void;
}

export interface MediaSocketOptions {
  /** Bind address: a pinned one, or "0.0.0.0" / "::" (every interface) as the call layer chooses. */
  host: string;
  port?: number;
  /** Largest trailer of the negotiated SRTP suite: tag + MKI + SRTCP index (PacketPool tailroom). */
  tailroom?: number;
  packetSize?: number;
}

export class MediaSocket {
  readonly counters: DemuxCounters = createDemuxCounters();
  readonly pool: PacketPool;
  /** Packets handed to the kernel and not yet confirmed sent, in send order. */
  private readonly inFlight: PacketBuffer[] = [];
  private readonly onSent = (): void => {
    const p = this.inFlight.shift();
    if (p) this.pool.give(p);
  };
  sendErrors = 0;
  /**
   * ICMP port-unreachable errors (ECONNREFUSED) should the platform report them here; Linux
   * reports them only to a connected UDP socket, which this one never is (unreachable-probe.ts).
   */
  portUnreachable = 0;
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private handlers: MediaSocketHandlers,
    options: MediaSocketOptions,
  ) {
    this.pool = new PacketPool({ packetSize: options.packetSize ?? 1500, tailroom: options.tailroom ?? 64, max: 512 });
    socket.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') this.portUnreachable++;
      else this.sendErrors++;
    });
  }

  static open(handlers: MediaSocketHandlers, options: MediaSocketOptions): Promise<MediaSocket> {
    const host = options.host;
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port ?? 0, host, () => {
        socket.off('error', reject);
        resolve(new MediaSocket(socket, handlers, options));
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  get address(): string {
    return this.socket.address().address;
  }

  setHandlers(handlers: MediaSocketHandlers): void {
    this.handlers = handlers;
  }

  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.closed) return;
    const kind = demuxPacket(msg, 0, msg.length, this.counters);
    switch (kind) {
      case 'zrtp':
        this.handlers.zrtp?.(msg, rinfo);
        return;
      case 'stun':
        this.handlers.stun?.(msg, rinfo);
        return;
      case 'rtp':
      case 'rtcp': {
        const handler = kind === 'rtp' ? this.handlers.rtp : this.handlers.rtcp;
        if (!handler) return;
        const p = this.pool.take();
        if (p.assign(msg)) {
          this.pool.give(p);
          return;
        }
        handler.call(this.handlers, p, rinfo);
        return;
      }
      default:
        return;
    }
  }

  /** Sends the packet and returns its buffer to the pool once the kernel has it. */
  send(p: PacketBuffer, to: Endpoint): void {
    if (this.closed) {
      this.pool.give(p);
      return;
    }
    this.inFlight.push(p);
    this.socket.send(p.bytes, p.start, p.length, to.port, to.address, this.onSent);
  }

  /** Sends bytes the caller owns (ZRTP messages, STUN): not pooled. */
  sendBytes(bytes: Uint8Array, to: Endpoint): void {
    if (this.closed) return;
    this.socket.send(bytes, 0, bytes.length, to.port, to.address);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
