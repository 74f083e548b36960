// Messages between main (the call layer, through MediaWorkerHost) and a call's media worker.
// Session keys never appear here: ZRTP derives them inside the worker and they stay there
// (ARCHITECTURE.md). What goes up is what the user sees (SAS, suite names, stats) and, for
// persistence only, the retained secrets of the ZRTP cache. SDES keys come down because SDES
// puts them in the SDP anyway.

import type { StreamKind, StreamStats } from '../../shared/api';
import type { SrtpSuiteName } from '../../crypto/srtp';
import type { TransportAddress } from '../net/stun';

/**
 * One peer's ZRTP cache entry (RFC 6189 §4.9) as it crosses between main and the worker and as
 * main stores it (src/main/store): secrets as lowercase hex.
 */
export interface StoredZrtpPeer {
  rs1?: string;
  rs2?: string;
  pbxSecret?: string;
  verified: boolean;
  updatedAt: number;
}

export type MediaCodecName = 'PCMU' | 'PCMA' | 'opus' | 'VP8';

export type SourceSpec =
  | { kind: 'tone'; frequencyHz: number }
  | { kind: 'wav'; path: string }
  | { kind: 'ivf'; path: string }
  /** Encoded frames pushed by main (from the renderer's WebCodecs encoder). */
  | { kind: 'frames' }
  | { kind: 'none' };

export type SinkSpec =
  /** `fromStreamStart`: the file starts when the stream does, silence until the first audio. */
  | { kind: 'wav'; path: string; fromStreamStart?: boolean }
  | { kind: 'ivf'; path: string }
  /** Assembled frames posted to main (for the renderer's decoder). */
  | { kind: 'frames' }
  | { kind: 'none' };

export interface SdesKeys {
  suite: SrtpSuiteName;
  local: { masterKey: Uint8Array; masterSalt: Uint8Array };
  remote: { masterKey: Uint8Array; masterSalt: Uint8Array };
}

export type StreamSecurity =
  | { mode: 'zrtp'; peerHelloHash?: string }
  | { mode: 'sdes'; keys: SdesKeys }
  | { mode: 'none' };

/** STUN and TURN servers for a stream's candidates (RFC 8445 §5.1.1), resolved to addresses by main. */
export interface IceServerSpec {
  stun: TransportAddress[];
  /** Long-term credentials (RFC 8656 §9.2); they go no further than the worker's TURN client. */
  /** `transport` 'tcp': the allocation is made over TCP, relaying UDP (RFC 8656 §3.1); 'udp' by default. */
  turn: { server: TransportAddress; username: string; password: string; transport?: 'udp' | 'tcp' }[];
}

/** Our ICE description of a stream: credentials, a=candidate values, the default candidate for c=/m=. */
export interface LocalIceParams {
  ufrag: string;
  pwd: string;
  candidates: string[];
  defaultCandidate?: { address: string; port: number };
}

/** How the media travels: directly, through a NAT's public address, or through a TURN relay. */
export type IcePathKind = 'host' | 'srflx' | 'prflx' | 'relay';

/** The peer's ICE description of a stream (RFC 8839), candidates as a=candidate values. */
export interface IceRemoteParams {
  ufrag: string;
  pwd: string;
  candidates: string[];
  /** The peer's ufrag/pwd changed (RFC 8839 §4.4.1.1.2): an ICE restart. */
  restart?: boolean;
}

export interface RemoteEndpoints {
  address: string;
  rtpPort: number;
  rtcpAddress: string;
  rtcpPort: number;
}

export interface StreamStart {
  stream: StreamKind;
  remote: RemoteEndpoints;
  rtcpMux: boolean;
  security: StreamSecurity;
  codec: { name: MediaCodecName; payloadType: number; clockRate: number };
  telephoneEvent?: { payloadType: number; clockRate: number };
  /** Our direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive'. */
  direction: string;
  nack: boolean;
  pli: boolean;
  source: SourceSpec;
  sink: SinkSpec;
  /** The peer does ICE: checks start, and the selected pair replaces `remote` as the path. */
  ice?: IceRemoteParams;
  /** First RTP sequence number (tests start near 65535 to cross the ROC wrap); random if absent. */
  initialSequenceNumber?: number;
}

export interface ZrtpPreferences {
  keyAgreements: string[];
  sasTypes: string[];
  hashes?: string[];
  ciphers?: string[];
  authTags?: string[];
}

/**
 * What a prepared audio stream is made for (issue 23): a spare worker opens the next call's audio
 * stream as a callee's ahead of the call, and a call whose init asks for the same takes it.
 */
export interface PrepareParams {
  zid: string;
  preferences: ZrtpPreferences;
  cacheExpiration?: number;
  host: string;
}

export type MainToWorker =
  | { type: 'ping'; seq: number }
  /**
   * While the worker waits for a call: open an audio stream as a callee's (sockets bound on
   * `host`, the ZRTP engine and its Hello hash made) and answer 'prepared'. No secret is sent.
   */
  | ({ type: 'prepare' } & PrepareParams)
  | {
      type: 'init';
      callId: number;
      /** Our ZID, hex (one per data directory). */
      zid: string;
      /** The cache entries the worker may need (peer ZID unknown until its Hello). */
      cache: Record<string, StoredZrtpPeer>;
      preferences: ZrtpPreferences;
      /** Our Confirm's cache expiration interval, seconds (RFC 6189 §4.9); absent: forever. */
      cacheExpiration?: number;
      /** The caller starts the Commit; the callee answers it (avoids contention, §4.2). */
      role: 'caller' | 'callee';
      host: string;
      /** No authenticated RTP/RTCP for this long: report 'lost' (default 30 s; see media-liveness). */
      mediaTimeoutMs?: number;
      /**
       * The call takes the prepared audio stream (main checked it was made for this init's ZID,
       * preferences, cache expiration and host, as a callee); otherwise a prepared one is closed.
       */
      prepared?: boolean;
    }
  | {
      type: 'openStream';
      stream: StreamKind;
      /**
       * The audio stream is the prepared one: nothing is bound. Without `ice` main already has its
       * ports and Hello hash and nothing is answered; with `ice` its candidates are gathered and
       * 'streamOpened' answers as usual.
       */
      prepared?: boolean;
      rtcpMux: boolean;
      port?: number;
      /** Gather ICE candidates (host, srflx, relay) before answering; the offerer controls (RFC 8445 §6.1.1). */
      ice?: {
        servers: IceServerSpec;
        controlling: boolean;
        gatherTimeoutMs: number;
        /** Host candidates when the socket is bound to every interface: the address the route to the peer leaves from. */
        hosts: string[];
      };
    }
  /** The peer's ICE description changed in a re-offer or answer (new candidates, a restart). */
  | { type: 'iceRemote'; stream: StreamKind; ice: IceRemoteParams }
  /** Our ICE restart (the network changed): new credentials, candidates gathered again. */
  | { type: 'iceRestart'; stream: StreamKind; hosts: string[]; regather: boolean }
  | ({ type: 'startStream' } & StreamStart)
  | { type: 'updateStream'; stream: StreamKind; direction: string }
  /** A stream that was waiting for ZRTP gets SDES keys (or goes plain, if the user allows it). */
  | { type: 'rekeyStream'; stream: StreamKind; security: StreamSecurity }
  | { type: 'closeStream'; stream: StreamKind }
  | { type: 'setSasVerified'; verified: boolean }
  | { type: 'sendDtmf'; digits: string }
  | { type: 'mute'; on: boolean }
  /** The front end's decoder needs a keyframe: send the peer a PLI (RFC 4585 §6.3.1). */
  | { type: 'requestKeyframeFromPeer'; stream: StreamKind }
  | { type: 'frame'; stream: StreamKind; timestamp: number; keyframe: boolean; payload: Uint8Array }
  | { type: 'hangup' }
  | { type: 'shutdown' };

export type ZrtpReport =
  /** A well-formed ZRTP Hello arrived on the stream (once per stream): the peer speaks ZRTP. */
  | { kind: 'helloSeen' }
  | { kind: 'peerZid'; peerZid: string; clientId: string }
  | { kind: 'sasReady'; sas: string; sasType: string; verified: boolean }
  | {
      kind: 'secure';
      sas: string;
      sasType: string;
      cipher: string;
      authTag: string;
      hash: string;
      keyAgreement: string;
      srtpSuite: string;
      peerZid: string;
      verified: boolean;
      cacheMismatch: boolean;
      multistream: boolean;
      helloHashMatched: boolean | undefined;
      /** performance.now() in the worker when the stream went secure (benchmarks). */
      at: number;
    }
  | { kind: 'cacheMismatch'; peerZid: string }
  | { kind: 'helloHashMismatch'; expected: string; received: string }
  | { kind: 'error'; code: number; reason: string; sentByPeer: boolean };

export type WorkerToMain =
  | { type: 'ready'; threadId: number }
  /** The prepared audio stream's ports and our ZRTP Hello hash (the answer to 'prepare'). */
  | { type: 'prepared'; rtpPort: number; rtcpPort: number; helloHash: string }
  | { type: 'pong'; seq: number; threadId: number; pid: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | {
      type: 'streamOpened';
      stream: StreamKind;
      rtpPort: number;
      rtcpPort: number;
      helloHash?: string;
      /** Our ICE description: credentials, a=candidate values, the default candidate for c=/m=. */
      ice?: LocalIceParams;
    }
  /** Our ICE description after an ICE restart, for the re-offer. */
  | { type: 'iceRestarted'; stream: StreamKind; ice: LocalIceParams }
  /** The path media takes now: the first working pair, then each selected one (with its RTT). */
  | { type: 'icePath'; stream: StreamKind; kind: IcePathKind; selected: boolean; local: string; remote: string; rttMs?: number }
  /** The selected pair lost consent (RFC 7675): media stopped on it; main restarts ICE. */
  | { type: 'iceConsentLost'; stream: StreamKind }
  /** ICE could not do its part: the TURN server refused us or is unreachable, or no path exists. */
  | { type: 'iceFailed'; stream: StreamKind; reason: 'turn-auth' | 'turn-unreachable' | 'no-path' }
  | { type: 'streamError'; stream: StreamKind; message: string }
  | { type: 'zrtp'; stream: StreamKind; report: ZrtpReport }
  | { type: 'cacheUpdate'; peerZid: string; entry: Omit<StoredZrtpPeer, 'updatedAt'> }
  | { type: 'stats'; streams: StreamStats[] }
  | { type: 'dtmf'; digit: string }
  | { type: 'frame'; stream: StreamKind; codec: MediaCodecName; timestamp: number; keyframe: boolean; lost?: boolean; payload: Uint8Array }
  /** The peer sent PLI/FIR: the front end's encoder (frames source) must make a keyframe. */
  | { type: 'peerWantsKeyframe'; stream: StreamKind }
  | { type: 'firstFrame'; stream: StreamKind; at: number }
  | { type: 'remoteBye'; stream: StreamKind }
  /** The peer's media liveness changed (media-liveness.ts): only transitions are posted. */
  | { type: 'mediaActivity'; state: 'flowing' | 'stalled' | 'lost'; silentMs: number; portUnreachable: number }
  | { type: 'closed' };
