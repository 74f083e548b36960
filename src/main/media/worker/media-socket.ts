// One UDP socket of a media stream. It carries STUN, ZRTP, RTP and RTCP together, told apart by
// the first byte (RFC 7983), so ICE can join later without a redesign. Each datagram arrives as a
// fresh Buffer from node:dgram; it is copied into a pooled PacketBuffer and from there on nothing
// is allocated per packet. Sent PacketBuffers go back to the pool when the kernel has them: at
// once for the usual send, which the kernel takes before socket.send returns (no callback, so no
// tick and closure per packet).

import { createSocket, type RemoteInfo, type Socket, type SocketOptions } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { PacketPool, type PacketBuffer } from '../../../crypto/packet-buffer';
import { createDemuxCounters, demuxPacket, type DemuxCounters } from './demux';

export interface Endpoint {
  address: string;
  port: number;
  /**
   * Reach this peer through a TURN relay (RFC 8656): packets go to the TURN server framed as
   * ChannelData on `channel` (§12.4), written into the PacketBuffer's headroom, so relaying
   * allocates nothing per packet. Set by the ICE transport when the selected pair's local
   * candidate is a relayed one.
   */
  relay?: RelayRoute;
}

export interface RelayRoute {
  server: Endpoint;
  /** A bound channel number (0x4000-0x4FFF), or 0 while the ChannelBind is in flight. */
  channel: number;
  /** Wraps bytes for a peer without a channel yet (a Send indication, §10.1). */
  wrap(bytes: Uint8Array, to: Endpoint): Uint8Array;
  /**
   * An allocation made over TCP (RFC 8656 §3.1): wrapped bytes go on its connection, not this
   * UDP socket. Its `channel` stays 0, so every packet takes the wrap path (TCP ChannelData is
   * padded to 4 bytes, §12.5, which the headroom cannot hold).
   */
  send?(bytes: Uint8Array): void;
}

/** ChannelData header: channel number and length, 2 bytes each (RFC 8656 §12.4). */
const CHANNEL_HEADER = 4;

export interface MediaSocketHandlers {
  /** ZRTP message (RFC 6189 §5): a copy of the datagram the handler may keep. */
  zrtp?(packet: Uint8Array, from: RemoteInfo): void;
  /** SRTP packet in a pooled buffer; the handler gives it back to `socket.pool` when done. */
  rtp?(packet: PacketBuffer, from: RemoteInfo): void;
  rtcp?(packet: PacketBuffer, from: RemoteInfo): void;
  stun?(packet: Uint8Array, from: RemoteInfo): void;
  /** TURN ChannelData (RFC 7983 §7: first byte 64-79) from a TURN server: the ICE transport's. */
  channelData?(packet: Uint8Array, from: RemoteInfo): void;
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
  /** Packets sent to a name (an address lookup first) and not yet confirmed sent, in send order. */
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
    // Headroom for a ChannelData header, so a relayed packet is framed where it lies.
    this.pool = new PacketPool({ packetSize: options.packetSize ?? 1500, tailroom: options.tailroom ?? 64, headroom: CHANNEL_HEADER, max: 512 });
    socket.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') this.portUnreachable++;
      else this.sendErrors++;
    });
  }

  static open(handlers: MediaSocketHandlers, options: MediaSocketOptions): Promise<MediaSocket> {
    const host = options.host;
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false, lookup: literalLookup });
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
    this.dispatch(msg, 0, msg.length, rinfo);
  }

  /**
   * Hands `bytes[start, end)` to its handler as if it had arrived from `from`: the ICE transport
   * calls this with what a TURN server relayed (ChannelData payload, Data indication), so the
   * streams see the peer's address and never the relay.
   */
  dispatch(bytes: Uint8Array, start: number, end: number, from: RemoteInfo): void {
    if (this.closed) return;
    const kind = demuxPacket(bytes, start, end, this.counters);
    switch (kind) {
      case 'zrtp':
        this.handlers.zrtp?.(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), from);
        return;
      case 'stun':
        this.handlers.stun?.(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), from);
        return;
      case 'turn-channel':
        this.handlers.channelData?.(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), from);
        return;
      case 'rtp':
      case 'rtcp': {
        const handler = kind === 'rtp' ? this.handlers.rtp : this.handlers.rtcp;
        if (!handler) return;
        const p = this.pool.take();
        if (p.assignRange(bytes, start, end)) {
          this.pool.give(p);
          return;
        }
        handler.call(this.handlers, p, from);
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
    const relay = to.relay;
    if (relay) {
      if (relay.channel === 0 || p.headroom < CHANNEL_HEADER) {
        const wrapped = relay.wrap(p.payload(), to);
        this.pool.give(p);
        if (relay.send) relay.send(wrapped);
        else this.sendBytes(wrapped, relay.server);
        return;
      }
      // ChannelData over UDP needs no padding (§12.5); the header goes into the headroom.
      const length = p.length;
      p.start -= CHANNEL_HEADER;
      const b = p.bytes;
      b[p.start] = relay.channel >>> 8;
      b[p.start + 1] = relay.channel & 0xff;
      b[p.start + 2] = length >>> 8;
      b[p.start + 3] = length & 0xff;
      to = relay.server;
    }
    if (!answeredAtOnce(to.address)) {
      // A name: the datagram leaves after the resolver answers, so the buffer waits for it.
      this.inFlight.push(p);
      this.socket.send(p.bytes, p.start, p.length, to.port, to.address, this.onSent);
      return;
    }
    // To an IP literal the lookup answers at once and node:dgram tries the send there and then
    // (uv_udp_try_send): the kernel has copied the datagram when this returns, and the buffer can
    // be reused. Only when the socket's send buffer is full (EAGAIN) does libuv queue the request,
    // which keeps the bytes alive until sent: that buffer leaves the pool (the GC takes it later),
    // as reusing it could put other bytes — an inbound packet decrypted in place — on the wire.
    this.socket.send(p.bytes, p.start, p.length, to.port, to.address);
    if (this.socket.getSendQueueCount() === 0) this.pool.give(p);
  }

  /** Sends bytes the caller owns (ZRTP messages, STUN): not pooled. */
  sendBytes(bytes: Uint8Array, to: Endpoint): void {
    if (this.closed) return;
    const relay = to.relay;
    if (relay) {
      let framed: Uint8Array;
      if (relay.channel === 0) framed = relay.wrap(bytes, to);
      else {
        framed = new Uint8Array(CHANNEL_HEADER + bytes.length);
        framed[0] = relay.channel >>> 8;
        framed[1] = relay.channel & 0xff;
        framed[2] = bytes.length >>> 8;
        framed[3] = bytes.length & 0xff;
        framed.set(bytes, CHANNEL_HEADER);
      }
      if (relay.send) relay.send(framed);
      else this.socket.send(framed, 0, framed.length, relay.server.port, relay.server.address);
      return;
    }
    this.socket.send(bytes, 0, bytes.length, to.port, to.address);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

let lastLiteral = '';
let lastFamily = 0;

/** Whether `literalLookup` answers `host` at once: an IP literal (the last one: one compare). */
function answeredAtOnce(host: string): boolean {
  return host === lastLiteral || isIP(host) !== 0;
}

/**
 * node:dgram resolves the destination of every datagram through its lookup function: by default
 * dns.lookup, which answers an IP literal only on the next tick (a closure and a tick per packet).
 * Media goes to addresses from SDP and ICE, IP literals almost always: those are answered at once
 * (the last one remembered, so the check is one string compare per packet); a name still goes to
 * the resolver.
 */
const literalLookup: NonNullable<SocketOptions['lookup']> = (host, options, callback) => {
  if (host !== lastLiteral) {
    const family = isIP(host);
    if (family === 0) {
      dnsLookup(host, options, callback);
      return;
    }
    lastLiteral = host;
    lastFamily = family;
  }
  callback(null, host, lastFamily);
};
