// Is the other side still there? A call whose peer vanished (process killed, network gone) gets
// no BYE; without this it would stay "connected" for ever, sending into a closed port. The rule
// is RFC 3550 §6.3.5's idea applied to the whole peer: silence for a set time means it left.
// Life is any authenticated RTP or RTCP (after SRTP unprotect; any valid packet on a plain call):
// RTCP keeps flowing on hold and mute, so neither ends a call. A peer on hold that sends no RTCP
// at all gives no sign either way and is never ended for it.
//
// ICMP port-unreachable errors (RFC 1122 §4.1.3.3) are an early sign only: they move the call to
// "stalled" at once, the silence decides the end.
//
// Sans-IO: the worker feeds the clock and the streams' counters on a timer; no packet goes
// through here, so the packet path only stores a number.

export type LivenessState = 'flowing' | 'stalled' | 'lost';

/** "Reconnecting…" shows after this much silence, or half the timeout if that is shorter. */
export const STALLED_AFTER_MS = 5000;
/** Silence after which the RTP sockets are connected to the peer, so the kernel reports ICMP errors. */
export const PROBE_AFTER_MS = 1000;

/**
 * A tick this late after the previous one means the worker's event loop was frozen (a long GC,
 * a starved thread, a suspended laptop): the peer's packets from meanwhile are still queued
 * behind the timer, so the verdict waits one tick for them to be read.
 */
export const FROZEN_GAP_MS = 1000;

export function stalledAfterMs(timeoutMs: number): number {
  return Math.min(STALLED_AFTER_MS, Math.floor(timeoutMs / 2));
}

/** What the worker knows of its streams at one tick. */
export interface LivenessInput {
  /** Streams that can authenticate media (keyed, or plain by the user's choice). */
  armedStreams: number;
  /** Latest of: each armed stream's last authenticated packet, and the time it was armed. */
  lastLifeMs: number;
  /** Some armed stream is on hold (a direction other than sendrecv). */
  held: boolean;
  /** Some armed stream has had authenticated RTCP from the peer in this call. */
  rtcpSeen: boolean;
  /** ICMP port-unreachable errors counted so far on the streams' sockets. */
  portUnreachable: number;
}

export class MediaLiveness {
  state: LivenessState = 'flowing';
  silentMs = 0;
  private lastLifeMs = -1;
  private unreachableAtLife = 0;
  private lastTickMs = -1;
  readonly stalledMs: number;

  constructor(readonly timeoutMs: number) {
    this.stalledMs = stalledAfterMs(timeoutMs);
  }

  /** One timer tick; returns the new state when it changed. 'lost' is final. */
  tick(now: number, input: LivenessInput): LivenessState | undefined {
    if (this.state === 'lost' || input.armedStreams === 0) return undefined;
    const frozen = this.lastTickMs >= 0 && now - this.lastTickMs > FROZEN_GAP_MS;
    this.lastTickMs = now;
    if (frozen) return undefined;
    if (input.lastLifeMs !== this.lastLifeMs) {
      this.lastLifeMs = input.lastLifeMs;
      this.unreachableAtLife = input.portUnreachable;
    }
    this.silentMs = Math.max(0, now - this.lastLifeMs);
    // On hold, a peer that never sent RTCP has no way to show it is there: no verdict.
    const blind = input.held && !input.rtcpSeen;
    let next: LivenessState = 'flowing';
    if (!blind) {
      const refused = input.portUnreachable > this.unreachableAtLife;
      if (this.silentMs >= this.timeoutMs) next = 'lost';
      else if (this.silentMs >= this.stalledMs || refused) next = 'stalled';
    }
    if (next === this.state) return undefined;
    this.state = next;
    return next;
  }

  /** Whether the sockets should be connected to the peer now, to hear its ICMP errors. */
  get probing(): boolean {
    return this.state !== 'lost' && this.lastLifeMs >= 0 && this.silentMs >= PROBE_AFTER_MS;
  }
}
