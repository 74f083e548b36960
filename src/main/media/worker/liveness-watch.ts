// The worker's side of media liveness: a timer that reads each stream's last authenticated
// packet time (stored by the packet path, nothing else done there), feeds MediaLiveness, probes a
// silent peer's port for ICMP errors, and posts each change of state to main, which ends the call
// on 'lost'.

import { monotonicMs } from './clock';
import { UnreachableProbe } from './unreachable-probe';
import type { WorkerToMain } from '../worker-protocol';
import { MediaLiveness, type LivenessInput } from './media-liveness';
import type { RtpStream } from './rtp-stream';

/** How often liveness is judged: "reconnecting…" and the end come at most this late. */
export const LIVENESS_TICK_MS = 250;

export type MediaActivity = Extract<WorkerToMain, { type: 'mediaActivity' }>;

export class LivenessWatch {
  readonly liveness: MediaLiveness;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly probes = new Map<RtpStream, UnreachableProbe>();
  /** ICMP errors heard by probes already closed: the total only grows. */
  private closedProbesRefused = 0;
  private readonly input: LivenessInput = { armedStreams: 0, lastLifeMs: -1, held: false, rtcpSeen: false, portUnreachable: 0 };

  constructor(
    timeoutMs: number,
    private readonly host: string,
    private readonly streams: () => Iterable<RtpStream>,
    private readonly report: (m: MediaActivity) => void,
  ) {
    this.liveness = new MediaLiveness(timeoutMs);
    this.timer = setInterval(() => this.tick(), LIVENESS_TICK_MS);
  }

  tick(now = monotonicMs()): void {
    const input = this.input;
    input.armedStreams = 0;
    input.lastLifeMs = -1;
    input.held = false;
    input.rtcpSeen = false;
    input.portUnreachable = this.closedProbesRefused;
    for (const s of this.streams()) {
      if (s.keys.armedAtMs < 0) continue;
      input.armedStreams++;
      input.lastLifeMs = Math.max(input.lastLifeMs, s.keys.armedAtMs, s.keys.lastAuthenticMs);
      if (!s.sendrecv) input.held = true;
      if (s.rtcp.rtcpSeen) input.rtcpSeen = true;
      input.portUnreachable += s.path.rtpSocket.portUnreachable + (this.probes.get(s)?.refused ?? 0);
    }
    const changed = this.liveness.tick(now, input);
    this.probe();
    if (changed) this.report({ type: 'mediaActivity', state: changed, silentMs: this.liveness.silentMs, portUnreachable: input.portUnreachable });
    if (changed === 'lost') this.close();
  }

  /** While the peer is silent, one empty datagram per tick to each stream's peer (unreachable-probe.ts). */
  private probe(): void {
    if (!this.liveness.probing) {
      for (const s of [...this.probes.keys()]) this.closeProbe(s);
      return;
    }
    for (const s of this.streams()) {
      const to = s.path.rtpDestination;
      if (s.keys.armedAtMs < 0 || !to) continue;
      let p = this.probes.get(s);
      if (p && (p.peer.port !== to.port || p.peer.address !== to.address)) {
        this.closeProbe(s);
        p = undefined;
      }
      if (!p) {
        p = UnreachableProbe.open(this.host, to);
        this.probes.set(s, p);
      }
      p.poke();
    }
  }

  private closeProbe(s: RtpStream): void {
    const p = this.probes.get(s);
    if (!p) return;
    this.closedProbesRefused += p.refused;
    p.close();
    this.probes.delete(s);
  }

  close(): void {
    clearInterval(this.timer);
    for (const s of [...this.probes.keys()]) this.closeProbe(s);
  }
}
