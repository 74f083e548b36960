// Where one stream's packets go and come from: its socket(s) (RTP and RTCP, or one with
// rtcp-mux, RFC 5761), the peer's addresses from SDP, and symmetric RTP (RFC 4961): media follows
// the source of authenticated SRTP/SRTCP, ZRTP replies follow the peer's ZRTP. STUN, ZRTP, RTP
// and RTCP share the socket, told apart as RFC 7983 says (media-socket.ts).

import type { RemoteInfo } from 'node:dgram';
import type { PacketBuffer } from '../../../../crypto/packet-buffer';
import { SRTCP_INDEX_LENGTH } from '../../../../crypto/srtp';
import { MediaSocket, type Endpoint } from '../media-socket';
import type { RemoteEndpoints } from '../../worker-protocol';

/** Largest SRTP/SRTCP trailer of any suite: 16-byte GCM tag or 10-byte HMAC tag, MKI, SRTCP index. */
const MAX_TRAILER = 16 + 4 + SRTCP_INDEX_LENGTH + 16;

export interface StreamPacketHandlers {
  zrtp(packet: Uint8Array, from: RemoteInfo): void;
  rtp(p: PacketBuffer, from: RemoteInfo): void;
  rtcp(p: PacketBuffer, socket: MediaSocket, from: RemoteInfo): void;
}

/** The ICE side of the socket (ice-transport.ts): STUN and TURN ChannelData go there. */
export interface StreamIceHandlers {
  onStun(packet: Uint8Array, from: RemoteInfo): void;
  onChannelData(packet: Uint8Array, from: RemoteInfo): void;
}

/**
 * More than fifteen public members: the sockets and the three destinations (RTP, RTCP, ZRTP) are
 * read on the per-packet path by the sender, receiver and RTCP session, and each way a path is
 * chosen (SDP, symmetric RTP/ZRTP, ICE) has its own entry point.
 */
export class StreamPath {
  rtpSocket!: MediaSocket;
  rtcpSocket: MediaSocket | undefined;
  /** Set at start (SDP agreed): RTCP rides on the RTP port both ways. */
  rtcpMux = false;
  /** The stream started: its remote addresses come from SDP. */
  started = false;
  private remoteRtp: Endpoint | undefined;
  private remoteRtcp: Endpoint | undefined;
  /** Where the peer's last ZRTP packet came from: ZRTP replies go there (symmetric ZRTP). */
  private remoteZrtp: Endpoint | undefined;
  /**
   * Media went to where authenticated SRTP/SRTCP came from (symmetric RTP, RFC 4961), no longer
   * to the SDP address: a re-offer's address then waits for authenticated packets too.
   */
  private latched = false;
  /** ICE chose the path (useIcePath): no SDP address or packet source moves it any more. */
  private iceOwned = false;
  private ice: StreamIceHandlers | undefined;

  constructor(
    private readonly kind: string,
    private readonly log: (message: string) => void,
  ) {}

  async open(handlers: StreamPacketHandlers, host: string, rtcpMux: boolean, port = 0): Promise<{ rtpPort: number; rtcpPort: number }> {
    this.rtpSocket = await MediaSocket.open(
      {
        zrtp: handlers.zrtp,
        rtp: handlers.rtp,
        rtcp: (p: PacketBuffer, from: RemoteInfo) => handlers.rtcp(p, this.rtpSocket, from),
        stun: (packet: Uint8Array, from: RemoteInfo) => this.ice?.onStun(packet, from),
        channelData: (packet: Uint8Array, from: RemoteInfo) => this.ice?.onChannelData(packet, from),
      },
      { host, port, tailroom: MAX_TRAILER },
    );
    if (!rtcpMux) {
      const rtcp = { rtcp: (p: PacketBuffer, from: RemoteInfo) => handlers.rtcp(p, this.rtcpSocket!, from) };
      // RFC 3550 §11: RTCP on the next port when not multiplexed; fall back to any port.
      try {
        this.rtcpSocket = await MediaSocket.open(rtcp, { host, port: this.rtpSocket.port + 1, tailroom: MAX_TRAILER });
      } catch {
        this.rtcpSocket = await MediaSocket.open(rtcp, { host, port: 0, tailroom: MAX_TRAILER });
      }
    }
    return { rtpPort: this.rtpSocket.port, rtcpPort: this.rtcpSocket?.port ?? this.rtpSocket.port };
  }

  /** Where RTP goes now (the SDP address until authenticated SRTP came from elsewhere). */
  get rtpDestination(): Endpoint | undefined {
    return this.remoteRtp;
  }

  get rtcpDestination(): Endpoint | undefined {
    return this.remoteRtcp;
  }

  /** STUN and ChannelData on the RTP socket go to ICE from now on. */
  attachIce(ice: StreamIceHandlers): void {
    this.ice = ice;
  }

  /**
   * ICE's pair is the path (RFC 8445 §12): RTP, RTCP (rtcp-mux) and ZRTP all go to `to` — through
   * the relay when `to.relay` says so — and nothing but the next selected pair changes that.
   */
  useIcePath(to: Endpoint): void {
    this.iceOwned = true;
    this.remoteRtp = to;
    this.remoteRtcp = to;
    this.remoteZrtp = to;
  }

  /** RFC 7675 §5.1: consent lost, so media stops until ICE selects a pair again. */
  dropIcePath(): void {
    this.iceOwned = true;
    this.remoteRtp = undefined;
    this.remoteRtcp = undefined;
    this.remoteZrtp = undefined;
  }

  get icePathSet(): boolean {
    return this.iceOwned;
  }

  setRemote(r: RemoteEndpoints): void {
    if (this.iceOwned) return;
    if (!this.latched) this.remoteRtp = { address: r.address, port: r.rtpPort };
    this.remoteRtcp = this.rtcpMux ? this.remoteRtp : { address: r.rtcpAddress, port: r.rtcpPort };
  }

  /** ZRTP goes where the peer's ZRTP came from, else to the media destination. */
  sendZrtp(packet: Uint8Array): void {
    const to = this.remoteZrtp ?? this.remoteRtp;
    if (to) this.rtpSocket.sendBytes(packet, to);
  }

  /**
   * Symmetric ZRTP: replies go where the peer's ZRTP came from, so a peer behind a NAT that
   * advertised its private address is reached at its public mapping, and a caller answers a Hello
   * before the 200 OK names the peer. Only ZRTP follows; a forged ZRTP source can stall the
   * handshake (as dropping packets could) but never learns a key nor redirects media.
   */
  learnRemoteFromZrtp(from: RemoteInfo): void {
    if (this.iceOwned) return;
    const z = this.remoteZrtp;
    if (z === undefined || z.port !== from.port || z.address !== from.address) this.remoteZrtp = { address: from.address, port: from.port };
  }

  /**
   * RFC 4961 symmetric RTP, after authentication: SRTP/SRTCP that passed unprotect came from the
   * peer itself, so media follows it (a NAT mapping, a rebinding). Compared field by field: no
   * allocation unless the address really changed. Unencrypted calls (`authenticated` false) latch
   * once (nothing to check).
   */
  followAuthenticated(from: RemoteInfo, onRtcpSocket: boolean, authenticated: boolean): void {
    if (!authenticated && this.latched) return;
    if (this.iceOwned) {
      // Under ICE a direct path still follows the peer's authenticated packets: its router's
      // public address changed, its packets come from the new one at once, and our media goes
      // there without waiting for consent (RFC 7675: up to 30 s) or a restart. A relayed path
      // never does: what the relay hands on looks as if it came from the peer itself.
      if (!authenticated || onRtcpSocket || this.remoteRtp?.relay) return;
      const r = this.remoteRtp;
      if (r !== undefined && r.port === from.port && r.address === from.address) return;
      this.remoteRtp = { address: from.address, port: from.port };
      this.remoteRtcp = this.remoteRtp;
      this.remoteZrtp = this.remoteRtp;
      this.log(`${this.kind}: the peer's address changed: media goes to ${from.address} port ${from.port}`);
      return;
    }
    if (onRtcpSocket) {
      const c = this.remoteRtcp;
      if (c !== undefined && c.port === from.port && c.address === from.address) return;
      this.remoteRtcp = { address: from.address, port: from.port };
      return;
    }
    const r = this.remoteRtp;
    if (r !== undefined && r.port === from.port && r.address === from.address) {
      this.latched = true;
      return;
    }
    this.latched = true;
    this.remoteRtp = { address: from.address, port: from.port };
    if (this.rtcpMux) this.remoteRtcp = this.remoteRtp;
    this.log(`${this.kind}: media goes to ${from.address} port ${from.port}, where authenticated packets come from`);
  }

  /** The socket RTCP leaves from. RFC 5761 §5.1.1: once mux is agreed, the RTP port even if an RTCP port was bound. */
  get rtcpSendSocket(): MediaSocket {
    if (this.rtcpMux) return this.rtpSocket;
    return this.rtcpSocket ?? this.rtpSocket;
  }

  async close(): Promise<void> {
    await Promise.all([this.rtpSocket?.close(), this.rtcpSocket?.close()]);
  }
}
