// The liveness rule on a fake clock: silence -> stalled -> lost, life brings it back, hold with
// RTCP still ends a vanished peer, hold without any RTCP never does, ICMP errors stall at once.
import { describe, it, expect } from 'vitest';
import { MediaLiveness, PROBE_AFTER_MS, STALLED_AFTER_MS, stalledAfterMs, type LivenessInput } from './media-liveness';

const input = (o: Partial<LivenessInput> = {}): LivenessInput => ({ armedStreams: 1, lastLifeMs: 0, held: false, rtcpSeen: true, portUnreachable: 0, ...o });

/** Ticks every 250 ms from `from` to `to` and returns the transitions with their times. */
function run(l: MediaLiveness, from: number, to: number, at: (now: number) => LivenessInput): string[] {
  const seen: string[] = [];
  for (let now = from; now <= to; now += 250) {
    const s = l.tick(now, at(now));
    if (s) seen.push(`${s}@${now}`);
  }
  return seen;
}

describe('media liveness', () => {
  it('stalls after min(5 s, timeout/2) of silence and is lost at the timeout (30 s default)', () => {
    expect(stalledAfterMs(30_000)).toBe(STALLED_AFTER_MS);
    expect(stalledAfterMs(2000)).toBe(1000);
    const l = new MediaLiveness(30_000);
    expect(run(l, 0, 40_000, () => input({ lastLifeMs: 0 }))).toEqual(['stalled@5000', 'lost@30000']);
    // Lost is final: a late packet changes nothing.
    expect(l.tick(40_250, input({ lastLifeMs: 40_250 }))).toBeUndefined();
    expect(l.state).toBe('lost');
  });

  it('packets coming back clear the stall', () => {
    const l = new MediaLiveness(2000);
    const seen = run(l, 0, 3000, (now) => input({ lastLifeMs: now < 1500 ? 0 : now }));
    expect(seen).toEqual(['stalled@1000', 'flowing@1500']);
  });

  it('a steady flow of packets (RTP or RTCP alone, as on hold or mute) never stalls', () => {
    const l = new MediaLiveness(2000);
    // RTCP once a second, nothing else: as a held or muted Vouch peer sends.
    expect(run(l, 0, 60_000, (now) => input({ held: true, lastLifeMs: Math.floor(now / 1000) * 1000 }))).toEqual([]);
  });

  it('on hold, a peer that sent RTCP and then stopped is lost like any other', () => {
    const l = new MediaLiveness(2000);
    expect(run(l, 0, 3000, () => input({ held: true, rtcpSeen: true, lastLifeMs: 0 }))).toEqual(['stalled@1000', 'lost@2000']);
  });

  it('on hold, a peer that never sent RTCP gives no sign, and is never ended for missing RTP', () => {
    const l = new MediaLiveness(2000);
    expect(run(l, 0, 60_000, () => input({ held: true, rtcpSeen: false, lastLifeMs: 0 }))).toEqual([]);
  });

  it('ICMP port-unreachable errors since the last packet stall at once; only the silence ends the call', () => {
    const l = new MediaLiveness(30_000);
    expect(l.tick(0, input({ lastLifeMs: 0 }))).toBeUndefined();
    expect(l.tick(PROBE_AFTER_MS, input({ lastLifeMs: 0 }))).toBeUndefined();
    expect(l.probing).toBe(true);
    expect(l.tick(PROBE_AFTER_MS + 250, input({ lastLifeMs: 0, portUnreachable: 3 }))).toBe('stalled');
    expect(l.tick(29_750, input({ lastLifeMs: 0, portUnreachable: 500 }))).toBeUndefined();
    expect(l.tick(30_000, input({ lastLifeMs: 0, portUnreachable: 501 }))).toBe('lost');
  });

  it('errors counted before the last packet are old news', () => {
    const l = new MediaLiveness(30_000);
    l.tick(0, input({ lastLifeMs: 0, portUnreachable: 7 }));
    expect(l.tick(250, input({ lastLifeMs: 250, portUnreachable: 7 }))).toBeUndefined();
    expect(l.probing).toBe(false);
  });

  it('after a frozen event loop, waits one tick for the packets queued meanwhile', () => {
    const l = new MediaLiveness(2000);
    expect(l.tick(0, input({ lastLifeMs: 0 }))).toBeUndefined();
    // No tick for 3 s (the worker was starved); the peer's packets are still in the socket queue.
    expect(l.tick(3000, input({ lastLifeMs: 0 }))).toBeUndefined();
    expect(l.tick(3250, input({ lastLifeMs: 3010 }))).toBeUndefined();
    expect(l.state).toBe('flowing');
    // Really gone: judged on the next regular tick.
    expect(l.tick(3500, input({ lastLifeMs: 0 }))).toBe('lost');
  });

  it('no verdict before a stream can authenticate media (ZRTP still running)', () => {
    const l = new MediaLiveness(2000);
    expect(run(l, 0, 10_000, () => input({ armedStreams: 0, lastLifeMs: -1 }))).toEqual([]);
  });
});
