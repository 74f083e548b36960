// Per-stream statistics: bitrate, packet loss, jitter and round-trip time, with small live charts
// of the recent history (state/stats.ts keeps the last minute), and what playout made of it:
// audio concealed, lost frames rebuilt from in-band FEC and the playout delay, video freezes.
import type { CallStats, PlayoutStats, StreamKind, StreamStats } from '../../shared/api';
import { Sparkline } from './Sparkline';

export interface StatsPanelProps {
  history: readonly CallStats[];
}

function kbps(bitsPerSecond: number): string {
  return `${(bitsPerSecond / 1000).toFixed(0)} kbit/s`;
}

function playoutText(kind: StreamKind, p: PlayoutStats | undefined): string {
  if (!p) return '–';
  if (kind === 'video') return `${p.videoFreezes} ${p.videoFreezes === 1 ? 'freeze' : 'freezes'}`;
  const fec = `${p.fecRecoveries} FEC ${p.fecRecoveries === 1 ? 'recovery' : 'recoveries'}`;
  return `${(p.concealedMs / 1000).toFixed(1)} s concealed, ${fec}, ${p.playoutDelayMs.toFixed(0)} ms delay`;
}

function series(history: readonly CallStats[], stream: StreamKind, pick: (s: StreamStats) => number): number[] {
  const out: number[] = [];
  for (const h of history) {
    const s = h.streams.find((x) => x.stream === stream);
    if (s) out.push(pick(s));
  }
  return out;
}

export function StatsPanel({ history }: StatsPanelProps) {
  const latest = history[history.length - 1];
  return (
    <details className="stats-panel">
      <summary>Call statistics</summary>
      {!latest ? (
        <p className="muted">No statistics yet.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Statistics per stream</caption>
          <thead>
            <tr>
              <th scope="col">Stream</th>
              <th scope="col">Bitrate (send / receive)</th>
              <th scope="col">Packet loss</th>
              <th scope="col">Jitter</th>
              <th scope="col">Round trip</th>
              <th scope="col">Playout</th>
            </tr>
          </thead>
          <tbody>
            {latest.streams.map((s) => {
              const name = s.stream === 'audio' ? 'Audio' : 'Video';
              return (
                <tr key={s.stream}>
                  <th scope="row">
                    {name} <span className="muted">{s.codec}</span>
                  </th>
                  <td>
                    {kbps(s.sendBitrate)} / {kbps(s.recvBitrate)}
                    <Sparkline label={`${name} receive bitrate, last minute`} values={series(history, s.stream, (x) => x.recvBitrate)} />
                  </td>
                  <td>
                    {(s.fractionLost * 100).toFixed(1)} % ({s.packetsLost} lost)
                    <Sparkline label={`${name} packet loss, last minute`} values={series(history, s.stream, (x) => x.fractionLost)} />
                  </td>
                  <td>
                    {s.jitterMs.toFixed(1)} ms
                    <Sparkline label={`${name} jitter, last minute`} values={series(history, s.stream, (x) => x.jitterMs)} />
                  </td>
                  <td>{s.rttMs > 0 ? `${s.rttMs.toFixed(0)} ms` : '–'}</td>
                  <td>{playoutText(s.stream, s.playout)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </details>
  );
}
