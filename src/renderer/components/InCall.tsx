// A call that is up, as a stage: remote video fills the window (or, audio-only, the peer's
// initials, name and a large level meter), the self view in a corner, the SAS and security state
// on top until verified, and one control bar (mute, Add/Stop video, hold, dial pad, devices, hang
// up) that hides while the pointer rests over video. Transfer, security details and statistics go
// in as children below the stage.
import type { ReactNode } from 'react';
import type { CallInfo } from '../../shared/api';
import { CALL_SHORTCUTS, initials } from '../state/call-stage';
import type { ShownVideo } from '../state/video-state';
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
  /** Video as it truly is (state/video-state.ts), not merely as negotiated. */
  video?: ShownVideo;
  canAddVideo?: boolean;
  controlsHidden?: boolean;
  shortcutsOn?: boolean;
  devicesOpen?: boolean;
  onMute(): void;
  onHold(): void;
  onToggleKeypad(): void;
  onDtmf(digit: string): void;
  onHangup(): void;
  onAddVideo?(): void;
  onStopVideo?(): void;
  onToggleDevices?(): void;
  onToggleShortcuts?(on: boolean): void;
  /** Pointer movement or focus on the stage: shows the control bar again. */
  onActivity?(): void;
  /** The SAS panel or the Verified badge, on the stage. */
  security?: ReactNode;
  /** The remote picture and the self view (VideoTiles). */
  media?: ReactNode;
  /** The devices panel, when open. */
  devices?: ReactNode;
  children?: ReactNode;
}

const NO_VIDEO: ShownVideo = { local: 'off', remote: 'off' };

export function InCall(p: InCallProps) {
  const { call } = p;
  const video = p.video ?? NO_VIDEO;
  const who = call.remoteName || call.remoteUri;
  const up = call.state === 'connected' || call.state === 'held';
  const sending = call.video.local !== 'off';
  const shortcutsOn = p.shortcutsOn ?? false;
  const keys = (k: string) => (shortcutsOn ? k : undefined);
  return (
    <div className="in-call call-stage" data-state={call.state} data-video={video.remote} onPointerMove={p.onActivity} onFocus={p.onActivity}>
      <div className="stage-top">
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
        {/* A region that is there before the SAS is, so its arrival is announced. */}
        <div className="stage-security" aria-live="polite">
          {p.security}
        </div>
      </div>
      <div className="stage-media" data-testid="call-stage">
        {video.remote === 'off' ? (
          <div className="peer-card">
            <span className="avatar" aria-hidden="true">
              {initials(who)}
            </span>
            <p className="peer-name">{who}</p>
            <div className="levels large">
              <LevelMeter label={`${who}'s audio`} level={p.levels.speaker} />
            </div>
          </div>
        ) : null}
        {p.media}
      </div>
      <div className="levels">
        <LevelMeter label="Your microphone" level={call.muted ? 0 : p.levels.microphone} />
        {video.remote !== 'off' ? <LevelMeter label={`${who}'s audio`} level={p.levels.speaker} /> : null}
      </div>
      <span role="status" aria-live="polite" className="video-status">
        {video.local === 'adding' ? 'Adding video…' : call.video.declinedByPeer ? `${who} declined video.` : ''}
      </span>
      <div className="call-controls control-bar" role="toolbar" aria-label="Call controls" data-hidden={p.controlsHidden ?? false}>
        <button type="button" aria-pressed={call.muted} aria-keyshortcuts={keys('M')} disabled={!up || p.busy} onClick={p.onMute}>
          {call.muted ? 'Unmute' : 'Mute'}
        </button>
        {sending ? (
          <button type="button" aria-keyshortcuts={keys('V')} disabled={p.busy} onClick={p.onStopVideo}>
            Stop video
          </button>
        ) : (
          <button type="button" aria-keyshortcuts={keys('V')} disabled={p.busy || !(p.canAddVideo ?? false)} onClick={p.onAddVideo}>
            Add video
          </button>
        )}
        <button type="button" aria-pressed={call.held} disabled={!up || p.busy} onClick={p.onHold}>
          {call.held ? 'Resume' : 'Hold'}
        </button>
        <button type="button" aria-pressed={p.keypadOpen} aria-expanded={p.keypadOpen} disabled={!up} onClick={p.onToggleKeypad}>
          Dial pad
        </button>
        <button type="button" aria-expanded={p.devicesOpen ?? false} onClick={p.onToggleDevices}>
          Devices
        </button>
        <button type="button" className="danger hangup" aria-keyshortcuts={keys('H')} onClick={p.onHangup} aria-label={`Hang up call with ${who}`}>
          Hang up
        </button>
      </div>
      {p.devicesOpen ? p.devices : null}
      {p.keypadOpen ? <DtmfKeypad disabled={!up || p.busy} sent={p.dtmfSent} onDigit={p.onDtmf} /> : null}
      {p.dtmfReceived ? (
        <p className="muted" role="status">
          {who} pressed {p.dtmfReceived}
        </p>
      ) : null}
      <p className="shortcuts-help">
        <label>
          <input type="checkbox" checked={shortcutsOn} onChange={(e) => p.onToggleShortcuts?.(e.target.checked)} /> Keyboard shortcuts
        </label>
        {shortcutsOn ? (
          <span className="muted">
            {' '}
            {CALL_SHORTCUTS.map((s) => `${s.key} ${s.label}`).join(' · ')} (not while typing in a field)
          </span>
        ) : null}
      </p>
      {p.children}
    </div>
  );
}
