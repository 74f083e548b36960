// The state one SrtpSession keeps (RFC 3711 §3.2 "cryptographic context"): the transform, the
// optional MKI, per-SSRC stream state (ROC, highest sequence number, replay window, SRTCP index)
// and the packet counts that enforce the key lifetime.
import { ReplayWindow } from './replay-window';
import type { SrtpTransform } from './transform';

export class RtpStreamState {
  /** Rollover counter and highest sequence number s_l (RFC 3711 §3.3.1); sl = -1 before the first packet. */
  roc: number;
  sl = -1;
  readonly window: ReplayWindow;

  constructor(roc: number, windowSize: number) {
    this.roc = roc;
    this.window = new ReplayWindow(windowSize);
  }
}

export class RtcpStreamState {
  /** Next SRTCP index to send (RFC 3711 §3.4: starts at 0). */
  nextIndex: number;
  readonly window: ReplayWindow;

  constructor(nextIndex: number, windowSize: number) {
    this.nextIndex = nextIndex;
    this.window = new ReplayWindow(windowSize);
  }
}

export interface CryptoContext {
  transform: SrtpTransform | undefined;
  readonly mki: Uint8Array | undefined;
  readonly mkiLength: number;
  readonly windowSize: number;
  readonly srtpLifetime: number;
  readonly srtcpLifetime: number;
  readonly encryptRtcp: boolean;
  srtpPackets: number;
  srtcpPackets: number;
  /** Keyed by SSRC as a signed int32 (see readInt32). */
  readonly rtpStreams: Map<number, RtpStreamState>;
  readonly rtcpStreams: Map<number, RtcpStreamState>;
  /** ROCs / SRTCP indices signalled before a stream's first packet (e.g. by a late-joining keying). */
  readonly initialRoc: Map<number, number>;
  readonly initialSrtcpIndex: Map<number, number>;
}

/**
 * A 32-bit field as a signed int32. SSRCs and SRTCP words are kept signed in the hot path: values
 * at or above 2^31 as unsigned numbers would be boxed by V8 (an allocation per packet).
 */
export function readInt32(data: Uint8Array, off: number): number {
  return (data[off] << 24) | (data[off + 1] << 16) | (data[off + 2] << 8) | data[off + 3];
}

export function writeUint32(data: Uint8Array, off: number, v: number): void {
  data[off] = v >>> 24;
  data[off + 1] = v >>> 16;
  data[off + 2] = v >>> 8;
  data[off + 3] = v;
}

/** Whether data[off, off + mki.length) is this session's MKI. */
export function mkiMatches(data: Uint8Array, off: number, mki: Uint8Array): boolean {
  for (let i = 0; i < mki.length; i++) if (data[off + i] !== mki[i]) return false;
  return true;
}
