// The SRTP sessions of one stream (RFC 3711) and what the packet path needs to know about them:
// whether media may flow (keys, or a call the user allowed to be plain), protect/unprotect that
// count their failures into the stream's drops, and when the stream last authenticated a packet
// (media-liveness.ts reads that; the packet path only stores a number).

import type { PacketBuffer } from '../../../../crypto/packet-buffer';
import { SrtpSession, type SrtpPrimitives, type SrtpSuiteName } from '../../../../crypto/srtp';
import { monotonicMs } from '../clock';

export interface StreamDrops {
  auth: number;
  replay: number;
  noKey: number;
  malformed: number;
  unknownPayloadType: number;
  late: number;
  protectFailures: number;
}

export function createStreamDrops(): StreamDrops {
  return { auth: 0, replay: 0, noKey: 0, malformed: 0, unknownPayloadType: 0, late: 0, protectFailures: 0 };
}

export interface MasterKey {
  masterKey: Uint8Array;
  masterSalt: Uint8Array;
}

export class StreamKeys {
  /**
   * Liveness (media-liveness.ts): when the stream could first authenticate media (keys or plain),
   * when an authenticated RTP or RTCP packet last came (clock ms, -1 before any).
   */
  armedAtMs = -1;
  lastAuthenticMs = -1;
  private tx: SrtpSession | undefined;
  private rx: SrtpSession | undefined;
  private secured = false;
  /** Plain RTP (no keys ever): only when the user allowed an unencrypted call. */
  private plain = false;

  constructor(
    private readonly drops: StreamDrops,
    private readonly primitives: SrtpPrimitives | undefined,
  ) {}

  /** Keys from ZRTP (or SDES): from now on media flows, protected. */
  set(suite: SrtpSuiteName, local: MasterKey, remote: MasterKey, srtcpTagLength?: number): void {
    this.tx?.dispose();
    this.rx?.dispose();
    this.tx = new SrtpSession({ suite, masterKey: local.masterKey, masterSalt: local.masterSalt, primitives: this.primitives, srtcpTagLength });
    this.rx = new SrtpSession({ suite, masterKey: remote.masterKey, masterSalt: remote.masterSalt, primitives: this.primitives, srtcpTagLength });
    this.secured = true;
    this.arm();
  }

  /** No keys at all: the user allowed this call unencrypted. */
  allowPlain(): void {
    this.plain = true;
    this.arm();
  }

  private arm(): void {
    if (this.armedAtMs < 0) this.armedAtMs = monotonicMs();
  }

  /** Media may flow: protected by keys, or plain by the user's choice. */
  get ready(): boolean {
    return this.secured || this.plain;
  }

  /** Received packets are checked against keys (symmetric RTP latches on each authenticated source). */
  get authenticates(): boolean {
    return this.rx !== undefined;
  }

  /**
   * Authenticates and decrypts in place; false (and counted) when the packet must be dropped.
   * Before keys exist only a call the user allowed to be plain takes packets as they are.
   */
  unprotect(p: PacketBuffer, rtcp: boolean): boolean {
    const rx = this.rx;
    if (!rx) {
      if (!this.plain) {
        this.drops.noKey++;
        return false;
      }
    } else {
      const err = rtcp ? rx.unprotectRtcp(p) : rx.unprotectRtp(p);
      if (err) {
        if (err.kind === 'replayed') this.drops.replay++;
        else if (err.kind === 'auth-failed') this.drops.auth++;
        else this.drops.malformed++;
        return false;
      }
    }
    this.lastAuthenticMs = monotonicMs();
    return true;
  }

  /**
   * Protects in place (plain calls: as is); false (and counted) when it must not be sent. Never
   * for lack of room (PacketBuffer grows); only a real error such as an exhausted key.
   */
  protect(p: PacketBuffer, rtcp: boolean): boolean {
    const tx = this.tx;
    if (!tx) return true;
    const err = rtcp ? tx.protectRtcp(p) : tx.protectRtp(p);
    if (err) this.drops.protectFailures++;
    return !err;
  }

  /** Zeroes the session keys; nothing flows afterwards. */
  dispose(): void {
    this.tx?.dispose();
    this.rx?.dispose();
    this.tx = undefined;
    this.rx = undefined;
    this.secured = false;
    this.plain = false;
  }
}
