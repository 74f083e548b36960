import { describe, it, expect } from 'vitest';
import { StatsPanel } from './StatsPanel';
import { sparklinePoints } from './Sparkline';
import { html, text } from './render';
import { callStats, streamStats } from '../state/fixtures';

describe('StatsPanel', () => {
  it('shows bitrate, loss, jitter and RTT per stream with labelled charts', () => {
    const history = [
      callStats(1000, [streamStats({ recvBitrate: 20_000 }), streamStats({ stream: 'video', codec: 'vp8', sendBitrate: 500_000, recvBitrate: 480_000, fractionLost: 0.05, packetsLost: 12, jitterMs: 8.25, rttMs: 0 })]),
      callStats(2000, [streamStats(), streamStats({ stream: 'video', codec: 'vp8', sendBitrate: 500_000, recvBitrate: 480_000, fractionLost: 0.05, packetsLost: 12, jitterMs: 8.25, rttMs: 0 })]),
    ];
    const el = <StatsPanel history={history} />;
    const t = text(el);
    expect(t).toContain('Audio opus 32 kbit/s / 31 kbit/s 0.4 % (2 lost) 3.5 ms 12 ms');
    expect(t).toContain('Video vp8 500 kbit/s / 480 kbit/s 5.0 % (12 lost) 8.3 ms –');
    const out = html(el);
    expect(out).toContain('role="img" aria-label="Audio receive bitrate, last minute"');
    expect(out).toContain('aria-label="Video packet loss, last minute"');
  });

  it('shows what playout made of each stream: audio concealed, FEC recoveries and delay, video freezes', () => {
    const playout = { concealedMs: 1240, playoutDelayMs: 60, fecRecoveries: 7, videoFreezes: 1 };
    const el = <StatsPanel history={[callStats(1000, [streamStats({ playout }), streamStats({ stream: 'video', codec: 'vp8', playout: { ...playout, videoFreezes: 3 } })])]} />;
    const t = text(el);
    expect(t).toContain('Playout');
    expect(t).toContain('12 ms 1.2 s concealed, 7 FEC recoveries, 60 ms delay');
    expect(t).toContain('3 freezes');
  });

  it('says so before the first sample', () => {
    expect(text(<StatsPanel history={[]} />)).toContain('No statistics yet.');
  });

  it('scales chart points into the box with zero at the bottom', () => {
    expect(sparklinePoints([0, 5, 10], 100, 20)).toBe('0.0,20.0 50.0,10.0 100.0,0.0');
    expect(sparklinePoints([0, 0], 10, 10)).toBe('0.0,10.0 10.0,10.0');
    expect(sparklinePoints([NaN], 10, 10)).toBe('0.0,10.0');
    expect(sparklinePoints([], 10, 10)).toBe('');
  });
});
