// One SRTP/SRTCP session per direction (RFC 3711 §3.2.1): keys set once at construction, packets
// protected or unprotected in place on PacketBuffers, typed results, keys zeroed on dispose().
import type { PacketBuffer } from '../packet-buffer';
import { AeadAesGcmTransform } from './cipher-aead-aes-gcm';
import { AesCmHmacSha1Transform } from './cipher-aes-cm-hmac-sha1';
import type { CryptoContext } from './context';
import type { SrtpError } from './errors';
import { deriveSessionKeys, zeroSessionKeys } from './key-derivation';
import { portablePrimitives } from './portable';
import type { SrtpPrimitives } from './primitives';
import { protectionProfile, SRTCP_INDEX_LENGTH, type ProtectionProfile, type SrtpSuiteName } from './protection-profile';
import { DEFAULT_REPLAY_WINDOW } from './replay-window';
import { SRTCP_INDEX_LIMIT, SRTP_INDEX_LIMIT } from './roc';
import { protectRtcp, unprotectRtcp } from './srtcp';
import { protectRtp, unprotectRtp } from './srtp';

export interface SrtpSessionOptions {
  suite: SrtpSuiteName;
  masterKey: Uint8Array;
  masterSalt: Uint8Array;
  /** Defaults to the portable (pure TypeScript) primitives. */
  primitives?: SrtpPrimitives;
  /** Master key identifier sent with (and required on) every packet (RFC 3711 §3.1). */
  mki?: Uint8Array;
  /**
   * SRTCP tag length in bytes for the HMAC-SHA1 suites; defaults to 10 (80 bits) for both the _80
   * and the _32 suites (RFC 3711 §5.2). Keying modes and peers differ, hence a parameter.
   */
  srtcpTagLength?: number;
  /** Replay window size in packets (RFC 3711 §3.3.2: at least 64); default 128. */
  replayWindowSize?: number;
  /** Key lifetime in packets (e.g. an SDES lifetime); default and maximum 2^48 SRTP, 2^31 SRTCP. */
  srtpLifetime?: number;
  srtcpLifetime?: number;
  /** Set the SRTCP E-flag and encrypt (default true; RFC 3711 §3.4 allows unencrypted SRTCP). */
  encryptRtcp?: boolean;
}

export class SrtpSession {
  readonly profile: ProtectionProfile;
  private readonly ctx: CryptoContext;

  constructor(opts: SrtpSessionOptions) {
    const profile = protectionProfile(opts.suite);
    if (!profile) throw new RangeError(`unknown SRTP suite ${String(opts.suite)}`);
    if (opts.masterKey.length !== profile.keyLength) throw new RangeError(`${profile.name} needs a ${profile.keyLength}-byte master key`);
    if (opts.masterSalt.length !== profile.saltLength) throw new RangeError(`${profile.name} needs a ${profile.saltLength}-byte master salt`);
    const srtcpTagLength = opts.srtcpTagLength ?? profile.rtcpTagLength;
    if (profile.kind === 'aead-aes-gcm' ? srtcpTagLength !== 16 : srtcpTagLength < 4 || srtcpTagLength > 20) {
      throw new RangeError(`invalid SRTCP tag length ${srtcpTagLength} for ${profile.name}`);
    }
    if (opts.mki && (opts.mki.length < 1 || opts.mki.length > 128)) throw new RangeError('MKI must be 1..128 bytes');
    this.profile = profile;
    const primitives = opts.primitives ?? portablePrimitives;
    const rtpKeys = deriveSessionKeys(profile, opts.masterKey, opts.masterSalt, false);
    const rtcpKeys = deriveSessionKeys(profile, opts.masterKey, opts.masterSalt, true);
    const transform =
      profile.kind === 'aead-aes-gcm'
        ? new AeadAesGcmTransform(primitives, rtpKeys, rtcpKeys)
        : new AesCmHmacSha1Transform(primitives, rtpKeys, rtcpKeys, profile.rtpTagLength, srtcpTagLength);
    zeroSessionKeys(rtpKeys);
    zeroSessionKeys(rtcpKeys);
    this.ctx = {
      transform,
      mki: opts.mki ? Uint8Array.from(opts.mki) : undefined,
      mkiLength: opts.mki?.length ?? 0,
      windowSize: opts.replayWindowSize ?? DEFAULT_REPLAY_WINDOW,
      srtpLifetime: Math.min(opts.srtpLifetime ?? SRTP_INDEX_LIMIT, SRTP_INDEX_LIMIT),
      srtcpLifetime: Math.min(opts.srtcpLifetime ?? SRTCP_INDEX_LIMIT, SRTCP_INDEX_LIMIT),
      encryptRtcp: opts.encryptRtcp ?? true,
      srtpPackets: 0,
      srtcpPackets: 0,
      rtpStreams: new Map(),
      rtcpStreams: new Map(),
      initialRoc: new Map(),
      initialSrtcpIndex: new Map(),
    };
    // Validates the window size now rather than on the first packet.
    if (!Number.isInteger(this.ctx.windowSize) || this.ctx.windowSize < 1 || this.ctx.windowSize > 0x8000) {
      throw new RangeError(`replay window size must be in [1, 32768]`);
    }
  }

  /** Bytes protectRtp appends: MKI + tag. Allocate packets with at least this much tailroom. */
  get rtpTrailerLength(): number {
    return this.ctx.mkiLength + this.profile.rtpTagLength;
  }

  /** Bytes protectRtcp appends: E/index word + MKI + tag. */
  get rtcpTrailerLength(): number {
    return SRTCP_INDEX_LENGTH + this.ctx.mkiLength + (this.ctx.transform?.rtcpTagLength ?? this.profile.rtcpTagLength);
  }

  /** Largest trailer of either packet kind: the tailroom a packet pool should reserve. */
  get maxTrailerLength(): number {
    return Math.max(this.rtpTrailerLength, this.rtcpTrailerLength);
  }

  /** Encrypts and tags an RTP packet in place, growing the buffer if it lacks tailroom. */
  protectRtp(p: PacketBuffer): SrtpError | undefined {
    return protectRtp(this.ctx, p);
  }

  /** Verifies, replay-checks and decrypts an SRTP packet in place; never throws. */
  unprotectRtp(p: PacketBuffer): SrtpError | undefined {
    return unprotectRtp(this.ctx, p);
  }

  protectRtcp(p: PacketBuffer): SrtpError | undefined {
    return protectRtcp(this.ctx, p);
  }

  unprotectRtcp(p: PacketBuffer): SrtpError | undefined {
    return unprotectRtcp(this.ctx, p);
  }

  /** The ROC of a stream (RFC 3711 §3.3.1); signalled ROCs are set before its first packet. */
  rolloverCounter(ssrc: number): number {
    return this.ctx.rtpStreams.get(ssrc | 0)?.roc ?? this.ctx.initialRoc.get(ssrc | 0) ?? 0;
  }

  setRolloverCounter(ssrc: number, roc: number): void {
    const stream = this.ctx.rtpStreams.get(ssrc | 0);
    if (stream) stream.roc = roc >>> 0;
    else this.ctx.initialRoc.set(ssrc | 0, roc >>> 0);
  }

  /** The next SRTCP index this (sending) session will use for `ssrc`. */
  srtcpIndex(ssrc: number): number {
    return this.ctx.rtcpStreams.get(ssrc | 0)?.nextIndex ?? this.ctx.initialSrtcpIndex.get(ssrc | 0) ?? 0;
  }

  setSrtcpIndex(ssrc: number, next: number): void {
    const stream = this.ctx.rtcpStreams.get(ssrc | 0);
    if (stream) stream.nextIndex = next;
    else this.ctx.initialSrtcpIndex.set(ssrc | 0, next);
  }

  /** Zeroes the session keys; every later call returns the 'no-key' error. */
  dispose(): void {
    this.ctx.transform?.dispose();
    this.ctx.transform = undefined;
    this.ctx.mki?.fill(0);
  }
}
