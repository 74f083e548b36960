// A call's media worker, seen from main: what goes down to it (init, streams, frames, DTMF) and
// what comes up (ZRTP reports, stats, frames, DTMF, liveness). Reports that only pass through
// become CallEvents here; the ones the call acts on go to WorkerReports.

import type { Codec, StreamKind } from '../../shared/api';
import type { Settings } from '../../shared/api';
import { preparedKey, type MediaWorker, type PreparedStream } from '../media/host/worker-host';
import type { LocalIceParams, MainToWorker, PrepareParams, WorkerToMain, ZrtpReport } from '../media/worker-protocol';
import { cacheExpirationFor } from '../../crypto/zrtp/cache-expiration';
import type { CallDeps, CallEvent } from './call-events';
import { CODEC_MISMATCH, FrameCodecGate } from './frame-codec-gate';

/** Worker reports the call itself acts on. */
export interface WorkerReports {
  zrtp(stream: StreamKind, report: ZrtpReport): void;
  streamError(stream: StreamKind, message: string): void;
  mediaActivity(m: Extract<WorkerToMain, { type: 'mediaActivity' }>): void;
  /** A stream's ICE pair lost consent (RFC 7675): the call restarts ICE. */
  consentLost(stream: StreamKind): void;
}

export type StreamOpened = Extract<WorkerToMain, { type: 'streamOpened' }>;
type OpenStreamMessage = Extract<MainToWorker, { type: 'openStream' }>;

/** How long the worker may take to open a stream's sockets, and to close everything at hangup. */
const OPEN_TIMEOUT_MS = 5000;
const CLOSE_TIMEOUT_MS = 3000;

/** The ZRTP side of a call's worker init as the settings make it (also what a spare prepares for). */
export function zrtpInitOf(s: Settings): Pick<PrepareParams, 'preferences' | 'cacheExpiration'> {
  return {
    preferences: { keyAgreements: s.zrtp.keyAgreement, sasTypes: [s.zrtp.sasType, s.zrtp.sasType === 'B32' ? 'B256' : 'B32'] },
    cacheExpiration: cacheExpirationFor(s.zrtp.cacheExpirySeconds),
  };
}

export class WorkerRelay {
  private worker: MediaWorker | undefined;
  /** The worker's prepared audio stream, taken by this call and not opened yet. */
  private prepared: PreparedStream | undefined;
  /**
   * Messages held back until the loop's next check phase. A call on a prepared stream needs
   * nothing from the worker for its 180 and 200, and a message wakes the worker's thread, which
   * on a busy machine can take the CPU from main before they leave (issue 23).
   */
  private held: MainToWorker[] | undefined;
  private offListen: (() => void) | undefined;
  private readonly frameCodecs = new FrameCodecGate();

  constructor(
    private readonly deps: CallDeps,
    private readonly notify: (e: CallEvent) => void,
    private readonly reports: WorkerReports,
  ) {}

  /** Takes the worker for this call and starts its ZRTP endpoint (RFC 6189 §4.1: our ZID and cache). */
  async attach(worker: MediaWorker, init: { callId: number; role: 'caller' | 'callee'; bind: string }): Promise<void> {
    this.worker = worker;
    this.offListen = worker.onMessage((m) => this.onWorker(m));
    await worker.ready;
    const s = this.deps.settings();
    const zrtp = zrtpInitOf(s);
    // A callee takes the spare's prepared audio stream when it was made for this very init.
    const prepared = worker.prepared;
    this.prepared = init.role === 'callee' && prepared?.key === preparedKey({ zid: this.deps.zid, ...zrtp, host: init.bind }) ? prepared : undefined;
    if (this.prepared) {
      this.held = [];
      setImmediate(() => {
        const held = this.held ?? [];
        this.held = undefined;
        for (const m of held) worker.post(m);
      });
    }
    this.post({
      type: 'init',
      callId: init.callId,
      zid: this.deps.zid,
      cache: this.deps.zrtpCache.peers(),
      ...zrtp,
      role: init.role,
      host: init.bind,
      mediaTimeoutMs: s.mediaTimeoutSeconds * 1000,
      prepared: this.prepared !== undefined,
    });
  }

  post(m: MainToWorker): void {
    if (this.held) this.held.push(m);
    else this.worker?.post(m);
  }

  /** Binds a stream's sockets in the worker; resolves with their ports and our ZRTP Hello hash. */
  openStream(kind: StreamKind, ice?: OpenStreamMessage['ice']): Promise<StreamOpened> {
    const w = this.worker!;
    const prepared = kind === 'audio' ? this.prepared : undefined;
    if (prepared) {
      // Bound and keyed already: without ICE there is nothing to wait for (issue 23).
      this.prepared = undefined;
      const opened: StreamOpened = { type: 'streamOpened', stream: kind, rtpPort: prepared.rtpPort, rtcpPort: prepared.rtcpPort, helloHash: prepared.helloHash };
      const answer = ice ? w.waitFor((m): m is StreamOpened => m.type === 'streamOpened' && m.stream === kind, OPEN_TIMEOUT_MS + ice.gatherTimeoutMs) : Promise.resolve(opened);
      this.post({ type: 'openStream', stream: kind, prepared: true, rtcpMux: false, ice });
      return answer;
    }
    // Gathering (STUN, TURN allocation) happens before the worker answers.
    const opened = w.waitFor((m): m is StreamOpened => m.type === 'streamOpened' && m.stream === kind, OPEN_TIMEOUT_MS + (ice ? ice.gatherTimeoutMs : 0));
    // rtcp-mux is offered, but a peer may decline it (baresip does) and then sends RTCP to the
    // next port (RFC 5761 §5.1.1): bind that one too, unused when mux is agreed.
    this.post({ type: 'openStream', stream: kind, rtcpMux: false, ice });
    return opened;
  }

  /** Our ICE restart on a stream: new credentials and candidates for the re-offer. */
  restartIce(kind: StreamKind, hosts: string[], regather: boolean): Promise<LocalIceParams> {
    const w = this.worker!;
    const done = w.waitFor((m): m is Extract<WorkerToMain, { type: 'iceRestarted' }> => m.type === 'iceRestarted' && m.stream === kind, OPEN_TIMEOUT_MS);
    this.post({ type: 'iceRestart', stream: kind, hosts, regather });
    return done.then((m) => m.ice);
  }

  /** A frame from the renderer's encoder, dropped when its codec is not the negotiated one. */
  sendFrame(stream: StreamKind, codec: Codec, negotiated: Codec | undefined, timestamp: number, keyframe: boolean, payload: Uint8Array): void {
    if (!this.frameCodecs.admit(stream, codec, negotiated)) return;
    this.post({ type: 'frame', stream, timestamp, keyframe, payload });
  }

  /** Hangs up in the worker; once it zeroed its keys and closed its sockets, it is released. */
  close(): void {
    const w = this.worker;
    if (!w) return;
    const closed = w.waitFor((m): m is WorkerToMain => m.type === 'closed', CLOSE_TIMEOUT_MS).catch(() => undefined);
    this.post({ type: 'hangup' });
    void closed.then(() => {
      this.offListen?.();
      this.notify({ type: 'releaseWorker', worker: w });
    });
  }

  private onWorker(m: WorkerToMain): void {
    switch (m.type) {
      case 'zrtp':
        this.reports.zrtp(m.stream, m.report);
        return;
      case 'cacheUpdate':
        this.deps.zrtpCache.setPeer(m.peerZid, m.entry);
        return;
      case 'stats':
        for (const s of m.streams) {
          const dropped = this.frameCodecs.droppedFor(s.stream);
          if (dropped > 0) s.dropped[CODEC_MISMATCH] = dropped;
        }
        this.notify({ type: 'stats', streams: m.streams });
        return;
      case 'dtmf':
        this.notify({ type: 'dtmf', digit: m.digit });
        return;
      case 'frame':
        this.notify({ type: 'frame', frame: m });
        return;
      case 'peerWantsKeyframe':
        this.notify({ type: 'keyframeRequest' });
        return;
      case 'firstFrame':
        if (m.stream === 'video') this.notify({ type: 'mark', what: 'firstVideoFrame' });
        return;
      case 'streamError':
        this.reports.streamError(m.stream, m.message);
        return;
      case 'mediaActivity':
        this.reports.mediaActivity(m);
        return;
      case 'icePath':
        this.notify({ type: 'path', stream: m.stream, kind: m.kind, selected: m.selected, local: m.local, remote: m.remote, rttMs: m.rttMs });
        return;
      case 'iceConsentLost':
        this.reports.consentLost(m.stream);
        return;
      case 'iceFailed':
        this.notify({ type: 'iceFailed', stream: m.stream, reason: m.reason });
        return;
      default:
        return;
    }
  }
}
