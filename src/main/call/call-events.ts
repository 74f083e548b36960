// What a call tells its owner (CallManager), as typed events, and the few things it needs from
// it (CallDeps). A call never reaches into the manager: it reads its dependencies and reports.

import type { Settings, StreamStats } from '../../shared/api';
import type { MediaWorker } from '../media/host/worker-host';
import type { IcePathKind, IceServerSpec, WorkerToMain } from '../media/worker-protocol';
import type { ZrtpCacheStore } from '../store/zrtp-cache-store';
import type { MediaIo } from './media-plan';

/** Timing marks for benchmarks (bench/call.mjs reads CallManager.marks). */
export type CallMark = 'connected' | 'sasReady' | 'videoSecure' | 'firstVideoFrame' | 'addVideo';

export type CallEvent =
  /** CallInfo changed (state, video, codecs, hold, mute, reconnecting). */
  | { type: 'changed' }
  /** SecurityInfo changed. */
  | { type: 'securityChanged' }
  | { type: 'stats'; streams: StreamStats[] }
  | { type: 'dtmf'; digit: string }
  /** A video frame the worker assembled, for the renderer's decoder. */
  | { type: 'frame'; frame: Extract<WorkerToMain, { type: 'frame' }> }
  /** The peer asked for a keyframe (RTCP PLI/FIR): the renderer's encoder must make one. */
  | { type: 'keyframeRequest' }
  | { type: 'ended' }
  /** The worker zeroed its keys and closed its sockets: its thread can end. */
  | { type: 'releaseWorker'; worker: MediaWorker }
  | { type: 'mark'; what: CallMark }
  /** The path a stream's media takes now (ICE: first working pair, then each selected pair). */
  | { type: 'path'; stream: 'audio' | 'video'; kind: IcePathKind; selected: boolean; local: string; remote: string; rttMs?: number }
  /** ICE could not do its part: the user is told which (RFC 8656 auth, server down, no path). */
  | { type: 'iceFailed'; stream: 'audio' | 'video'; reason: 'turn-auth' | 'turn-unreachable' | 'no-path' };

export type CallEventType = CallEvent['type'];
export type CallEventOf<T extends CallEventType> = Extract<CallEvent, { type: T }>;

/**
 * Where a call's media binds, the address its SDP gives the peer (the public one behind a NAT
 * towards the registrar), and the interface address the route to the peer leaves from (ICE's host
 * candidate when the bind is a wildcard).
 */
export interface LocalMedia {
  bind: string;
  advertise: string;
  local: string;
}

/** The dependencies a call really has; everything else it says through CallEvent. */
export interface CallDeps {
  settings(): Settings;
  /** Where a call's media binds, and the address its SDP gives `peer` (the next hop's address). */
  localMedia(peer: string): LocalMedia;
  readonly io: MediaIo;
  /** Our ZID, hex. */
  readonly zid: string;
  /** The ZRTP cache the worker starts from and writes back to after a secured session. */
  readonly zrtpCache: Pick<ZrtpCacheStore, 'peers' | 'setPeer'>;
  /** Which ZID each SIP address had, and which peers the user verified. */
  readonly identities: Pick<ZrtpCacheStore, 'recordIdentity' | 'setVerified'>;
  /**
   * The STUN/TURN servers a call gathers candidates with, resolved to addresses; undefined when
   * ICE is off. Called once per stream opened.
   */
  iceServers(): Promise<IceServerSpec | undefined>;
}

type AnyListener = (e: CallEvent) => void;

/** A small typed emitter: each listener gets only the events of its type, fully typed. */
export class CallEvents {
  private readonly listeners = new Map<CallEventType, AnyListener[]>();

  /** Listens to one type of event; returns the function that stops listening. */
  on<T extends CallEventType>(type: T, listener: (e: CallEventOf<T>) => void): () => void {
    const list = this.listeners.get(type) ?? [];
    const l = listener as AnyListener;
    list.push(l);
    this.listeners.set(type, list);
    return () => {
      const i = list.indexOf(l);
      if (i >= 0) list.splice(i, 1);
    };
  }

  emit(e: CallEvent): void {
    // A copy: a listener that stops listening must not make the next one miss this event.
    for (const l of [...(this.listeners.get(e.type) ?? [])]) l(e);
  }
}
