// A call that is up: who, the state line (calling, ringing, securing…, secure), the timer, the
// path its audio takes (CallPath.tsx), mute, hold, dial pad, audio levels and hang up. Security,
// video and stats panels go in as children.
import type { ReactNode } from 'react';
import type { CallInfo } from '../../shared/api';
import { formatDuration } from '../state/words';
import { CallPath } from './CallPath';
import { DtmfKeypad } from './DtmfKeypad';
import { LevelMeter } from './LevelMeter';

export interface InCallProps {
  call: CallInfo;
  stateLine: string;
  verified: boolean;
  /** Seconds since the call connected, or null before it did. */
  elapsedSeconds: number | null;
  levels: { microphone: number; speaker: number };
  keypadOpen: boolean;
  dtmfSent: string;
  dtmfReceived: string;
  busy: boolean;
  onMute(): void;
  onHold(): void;
  onToggleKeypad(): void;
  onDtmf(digit: string): void;
  onHangup(): void;
  children?: ReactNode;
}

export function InCall(p: InCallProps) {
  const { call } = p;
  const who = call.remoteName || call.remoteUri;
  const up = call.state === 'connected' || call.state === 'held';
  return (
    <div className="in-call" data-state={call.state}>
      <div className="call-head">
        <p className="caller">
          <span className="caller-name">{who}</span>
          {call.remoteName ? <span className="muted"> {call.remoteUri}</span> : null}
          {p.verified ? <span className="badge verified">Verified</span> : null}
        </p>
        <p className="state-line" role="status" aria-live="polite" aria-label="Call state" data-testid="call-state">
          {p.stateLine}
        </p>
        <p className="timer">
          <span className="visually-hidden">Call duration </span>
          <time aria-label="Call duration">{p.elapsedSeconds === null ? '--:--' : formatDuration(p.elapsedSeconds)}</time>
        </p>
      </div>
      <CallPath path={call.path} />
      <div className="levels">
        <LevelMeter label="Your microphone" level={call.muted ? 0 : p.levels.microphone} />
        <LevelMeter label={`${who}'s audio`} level={p.levels.speaker} />
      </div>
      <div className="call-controls" role="group" aria-label="Call controls">
        <button type="button" aria-pressed={call.muted} disabled={!up || p.busy} onClick={p.onMute}>
          {call.muted ? 'Unmute' : 'Mute'}
        </button>
        <button type="button" aria-pressed={call.held} disabled={!up || p.busy} onClick={p.onHold}>
          {call.held ? 'Resume' : 'Hold'}
        </button>
        <button type="button" aria-pressed={p.keypadOpen} aria-expanded={p.keypadOpen} disabled={!up} onClick={p.onToggleKeypad}>
          Dial pad
        </button>
        <button type="button" className="danger hangup" onClick={p.onHangup} aria-label={`Hang up call with ${who}`}>
          Hang up
        </button>
      </div>
      {p.keypadOpen ? <DtmfKeypad disabled={!up || p.busy} sent={p.dtmfSent} onDigit={p.onDtmf} /> : null}
      {p.dtmfReceived ? (
        <p className="muted" role="status">
          {who} pressed {p.dtmfReceived}
        </p>
      ) : null}
      {p.children}
    </div>
  );
}
