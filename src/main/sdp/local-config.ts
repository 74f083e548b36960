// What the call layer tells offer/answer about our side: address, ports, codecs and how each
// stream is keyed. Keys and hashes come from outside (the ZRTP engine's Hello hash, random SDES
// keys), so building SDP stays a pure function.
import type { StreamKind } from '../../shared/api';
import type { CodecSpec } from './codecs';
import type { SdesSuiteName } from './crypto-suites';
import type { Direction } from './types';
import type { Candidate } from '../net/ice';
import type { IceCredentials } from './ice';

/** Our ICE description of a stream (RFC 8839): credentials, every candidate, the default one. */
export interface LocalStreamIce {
  credentials: IceCredentials;
  candidates: readonly Candidate[];
  /** RFC 8839 §4.2.1.2: the m=/c= address and port, one of the candidates. */
  defaultCandidate?: { address: string; port: number };
}

export interface SdesKey {
  suite: SdesSuiteName;
  masterKey: Uint8Array;
  masterSalt: Uint8Array;
}

export type LocalStreamSecurity =
  /** RFC 6189 §8.1: the hash of the Hello this stream's ZRTP session sends. */
  | { mode: 'zrtp'; zrtpHash?: { version: string; hash: string } }
  /** RFC 4568: keys in our preference order, one per suite we accept. */
  | { mode: 'sdes'; keys: readonly SdesKey[] }
  | { mode: 'none' };

export interface LocalStreamConfig {
  kind: StreamKind;
  port: number;
  /** RTCP port when not multiplexed; default port + 1 (RFC 3550 §11). */
  rtcpPort?: number;
  /** Preference order. */
  codecs: readonly CodecSpec[];
  /** Default sendrecv; sendonly/inactive put the call on hold (RFC 3264 §8.4). */
  direction?: Direction;
  security: LocalStreamSecurity;
  /** Present when the stream does ICE (a=ice-ufrag, a=ice-pwd, a=candidate lines). */
  ice?: LocalStreamIce;
}

export interface LocalMediaConfig {
  /** Unicast address we receive on, IPv4 or IPv6 (tests: 127.0.0.1 / ::1). */
  address: string;
  /** Offer (and accept) RTP/RTCP on one port (RFC 5761). */
  rtcpMux: boolean;
  /** Offer RTP/AVPF or RTP/SAVPF (RFC 4585) instead of RTP/AVP or RTP/SAVP. */
  avpf?: boolean;
  streams: readonly LocalStreamConfig[];
}

/** RFC 3264 §8.4: the direction that puts a stream on hold. */
export function holdDirection(d: Direction): Direction {
  return d === 'sendrecv' || d === 'sendonly' ? 'sendonly' : 'inactive';
}

/** The direction that takes a stream off hold. */
export function resumeDirection(d: Direction): Direction {
  return d === 'sendonly' || d === 'sendrecv' ? 'sendrecv' : 'recvonly';
}

export function withHold(config: LocalMediaConfig, hold: boolean): LocalMediaConfig {
  return {
    ...config,
    streams: config.streams.map((s) => {
      const d = s.direction ?? 'sendrecv';
      return { ...s, direction: hold ? holdDirection(d) : resumeDirection(d) };
    }),
  };
}
