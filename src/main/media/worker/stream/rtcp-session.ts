// The RTCP of one stream (RFC 3550 §6): our SR or RR with SDES CNAME every second, and BYE at the
// end; NACK and PLI that the receiver asks for (RFC 4585 §6.2.1, §6.3.1); what the peer's RTCP
// says: its reports (round-trip time, §6.4.1; loss), NACKs (retransmit from the sender's
// history), PLI/FIR (RFC 5104 §4.3.1: a keyframe wanted), BYE; and the stream's stats.
// Once keyed, every RTCP packet is protected (SRTCP, RFC 3711 §3.4); nothing is allocated per packet.

import type { RemoteInfo } from 'node:dgram';
import type { StreamKind, StreamStats } from '../../../../shared/api';
import type { PacketBuffer } from '../../../../crypto/packet-buffer';
import type { MediaSocket } from '../media-socket';
import { monotonicMs, ntpNow, type NtpTime } from '../clock';
import type { RtpReceiverStats } from '../../rtp';
import { RtcpCompoundParser, RtcpReporter, writeNack, writePli, writeBye, ntpMiddle32FromParts, nackedSequenceNumbers, type RtcpHandler } from '../../rtcp';
import type { MediaCodecName } from '../../worker-protocol';
import type { RtpSender } from './rtp-sender';
import type { StreamDrops, StreamKeys } from './stream-keys';
import type { StreamPath } from './stream-path';

export interface RtcpSessionHooks {
  /** The peer sent PLI or FIR: it wants a keyframe from us. */
  keyframeRequested(): void;
  remoteBye(): void;
}

export class RtcpSession {
  /** An authenticated RTCP packet came (media-liveness.ts: the peer is there even when it sends no RTP). */
  rtcpSeen = false;
  rttMs = 0;
  /** Told each new round-trip time (the video frame assembler spaces its NACKs by it). */
  rttTarget: { rttMs: number } | undefined;
  private fractionLost = 0;
  private readonly parser = new RtcpCompoundParser();
  private readonly reporter: RtcpReporter;
  /** The reception statistics as the one-element list the reporter takes (kept, not rebuilt per report). */
  private readonly receptionStats: RtpReceiverStats[] = [];
  private readonly nackList = new Uint16Array(64);
  private readonly ntp: NtpTime = { seconds: 0, fraction: 0 };
  private lastStats = { at: 0, sent: 0, received: 0 };
  private stopped = false;

  constructor(
    private readonly ssrc: number,
    cname: string,
    private readonly path: StreamPath,
    private readonly keys: StreamKeys,
    private readonly drops: StreamDrops,
    private readonly sender: RtpSender,
    private readonly hooks: RtcpSessionHooks,
  ) {
    this.reporter = new RtcpReporter(ssrc, new TextEncoder().encode(cname));
  }

  /** The receiver's statistics for the peer's current SSRC (our reports' report block). */
  setReceptionStats(stats: RtpReceiverStats): void {
    this.receptionStats[0] = stats;
  }

  canSend(): boolean {
    return !this.stopped && this.keys.ready && this.path.rtcpDestination !== undefined && this.sender.state !== undefined;
  }

  private readonly handler: RtcpHandler = {
    onReport: (r) => {
      const now = monotonicMs();
      const rx = this.receptionStats[0];
      if (r.isSenderReport && rx) rx.onSenderReport(ntpMiddle32FromParts(r.ntpSeconds | 0, r.ntpFraction | 0), now);
      const t = ntpNow(this.ntp);
      const rtt = this.reporter.roundTripTimeUnitsFrom(r, ntpMiddle32FromParts(t.seconds | 0, t.fraction | 0));
      if (rtt >= 0) {
        this.rttMs = (rtt * 1000) / 65536;
        if (this.rttTarget) this.rttTarget.rttMs = this.rttMs;
      }
      for (let i = 0; i < r.reportCount; i++) {
        const b = r.reports[i];
        if (b.ssrc === this.ssrc) this.fractionLost = b.fractionLost / 256;
      }
    },
    onNack: (fb, bytes) => {
      const n = nackedSequenceNumbers(bytes, fb, this.nackList);
      for (let i = 0; i < n; i++) this.sender.retransmit(this.nackList[i]);
    },
    onPli: () => this.hooks.keyframeRequested(),
    onFir: () => this.hooks.keyframeRequested(),
    onBye: () => this.hooks.remoteBye(),
  };

  onRtcp(p: PacketBuffer, socket: MediaSocket, from: RemoteInfo): void {
    try {
      if (this.stopped || !this.keys.unprotect(p, true)) return;
      this.rtcpSeen = true;
      if (this.path.started) this.path.followAuthenticated(from, socket !== this.path.rtpSocket, this.keys.authenticates);
      const r = this.parser.parse(p.bytes, p.start, p.end, this.handler);
      if (r.error) this.drops.malformed++;
    } finally {
      socket.pool.give(p);
    }
  }

  /** SR (or RR when not sending) + SDES CNAME, protected: every RTCP packet kind gets its trailer. */
  sendReport(bye = false): void {
    if (!this.canSend()) return;
    const socket = this.path.rtcpSendSocket;
    const p = socket.pool.take();
    // §6.4.1: the NTP and RTP timestamps of an SR name the same instant.
    const t = ntpNow(this.ntp);
    this.reporter.writeCompound(p, this.sender.state, this.receptionStats, t.seconds | 0, t.fraction | 0, monotonicMs());
    if (bye) writeBye(p, this.ssrc | 0);
    this.transmit(socket, p);
  }

  /** Generic NACK (RFC 4585 §6.2.1) for `count` sequence numbers of `mediaSsrc`. */
  sendNack(mediaSsrc: number, list: Uint16Array, count: number): void {
    const socket = this.path.rtcpSendSocket;
    const p = socket.pool.take();
    this.reporter.writeFeedbackHead(p);
    writeNack(p, this.ssrc | 0, mediaSsrc | 0, list, count);
    this.transmit(socket, p);
  }

  /** Picture Loss Indication (RFC 4585 §6.3.1): `mediaSsrc`'s sender should send a keyframe. */
  sendPli(mediaSsrc: number): void {
    const socket = this.path.rtcpSendSocket;
    const p = socket.pool.take();
    this.reporter.writeFeedbackHead(p);
    writePli(p, this.ssrc | 0, mediaSsrc | 0);
    this.transmit(socket, p);
  }

  private transmit(socket: MediaSocket, p: PacketBuffer): void {
    if (!this.keys.protect(p, true)) {
      socket.pool.give(p);
      return;
    }
    socket.send(p, this.path.rtcpDestination!);
  }

  /** The stream's figures for the UI (bit rates since the last call). */
  stats(kind: StreamKind, codec: MediaCodecName | string, received: { packetsReceived: number; bytesReceived: number }): StreamStats {
    const now = performance.now();
    const sender = this.sender;
    const dt = Math.max(1, now - this.lastStats.at) / 1000;
    const sendBitrate = this.lastStats.at ? ((sender.bytesSent - this.lastStats.sent) * 8) / dt : 0;
    const recvBitrate = this.lastStats.at ? ((received.bytesReceived - this.lastStats.received) * 8) / dt : 0;
    this.lastStats = { at: now, sent: sender.bytesSent, received: received.bytesReceived };
    const rx = this.receptionStats[0];
    const demux = this.path.rtpSocket?.counters;
    const d = this.drops;
    return {
      stream: kind,
      codec,
      sendBitrate,
      recvBitrate,
      packetsSent: sender.packetsSent,
      packetsReceived: received.packetsReceived,
      packetsLost: rx ? Math.max(0, rx.cumulativeLost) : 0,
      fractionLost: this.fractionLost,
      jitterMs: rx ? (rx.jitter / rx.clockRate) * 1000 : 0,
      rttMs: this.rttMs,
      protectFailures: d.protectFailures,
      dropped: {
        auth: d.auth,
        replay: d.replay,
        noKey: d.noKey,
        malformed: d.malformed,
        unknownPayloadType: d.unknownPayloadType,
        late: d.late,
        dtls: demux?.dtls ?? 0,
        short: demux?.short ?? 0,
        unknown: demux?.unknown ?? 0,
      },
      audioLevel: kind === 'audio' ? sender.audioPeak / 127 : undefined,
    };
  }

  stop(): void {
    this.stopped = true;
  }
}
