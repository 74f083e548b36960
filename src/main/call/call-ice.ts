// A call's ICE as offer/answer sees it (RFC 8839): whether an SDP does ICE, the peer's ICE
// description of each stream for the worker, and when a re-offer means an ICE restart (a new
// ufrag/pwd) rather than a refresh (linphonec's "ICE processing concluded" re-INVITE lists only
// the chosen candidates under the same credentials: nothing to do).

import { readIce, type SessionDescription, type IceCredentials } from '../sdp';
import { formatCandidate } from '../net/ice';
import type { StreamKind } from '../../shared/api';
import type { IceRemoteParams } from '../media/worker-protocol';

/** How long a stream's candidates may take before the SDP goes out without the missing ones. */
export const ICE_GATHER_TIMEOUT_MS = 1500;

/** The peer's ICE description of m-line `index`, or undefined when it does no ICE there. */
export function remoteIce(sdp: SessionDescription | undefined, index: number): IceRemoteParams | undefined {
  const m = sdp?.media[index];
  if (!sdp || !m || m.port === 0) return undefined;
  const r = readIce(sdp.attributes, m.attributes);
  if (!r.ok) return undefined;
  // One component: Vouch's ICE runs with rtcp-mux (RTCP candidates would have component 2).
  const candidates = r.value.candidates.filter((c) => c.component === 1).map(formatCandidate);
  return { ufrag: r.value.credentials.ufrag, pwd: r.value.credentials.pwd, candidates };
}

/** Whether an offer does ICE on any m-line (then our answer does too, RFC 8839 §4.2.1.1). */
export function offersIce(sdp: SessionDescription): boolean {
  return sdp.media.some((_, i) => remoteIce(sdp, i) !== undefined);
}

/** Remembers the peer's ICE credentials per stream, to tell a restart from a repeat. */
export class PeerIce {
  private readonly credentials = new Map<StreamKind, IceCredentials>();

  /** Our own restart is under way: the answer's description is new whatever its credentials. */
  private readonly restarting = new Set<StreamKind>();

  /** The params to send the worker for a running stream, or undefined when nothing changed. */
  update(kind: StreamKind, ice: IceRemoteParams | undefined): IceRemoteParams | undefined {
    if (!ice) return undefined;
    const before = this.credentials.get(kind);
    this.credentials.set(kind, { ufrag: ice.ufrag, pwd: ice.pwd });
    const ours = this.restarting.delete(kind);
    if (!before) return ice;
    if (!ours && before.ufrag === ice.ufrag && before.pwd === ice.pwd) return undefined;
    return { ...ice, restart: true };
  }

  /** The peer's offer restarts ICE on this stream (RFC 8839 §4.4.1.1.2: new ufrag or pwd). */
  isRestart(kind: StreamKind, ice: IceRemoteParams | undefined): boolean {
    const before = this.credentials.get(kind);
    return ice !== undefined && before !== undefined && (before.ufrag !== ice.ufrag || before.pwd !== ice.pwd);
  }

  /** We restart ICE on this stream: the next description of the peer replaces its old one. */
  expectRestart(kind: StreamKind): void {
    this.restarting.add(kind);
  }

  forget(kind: StreamKind): void {
    this.credentials.delete(kind);
    this.restarting.delete(kind);
  }
}
