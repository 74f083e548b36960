// Video in a call: "Add video" / "Stop video", "Adding video…" while the re-INVITE is out, the
// remote tile (a canvas the decoder draws on) and the local preview; a peer that declined is said so.
import type { Ref } from 'react';
import type { CallInfo } from '../../shared/api';

export interface VideoTilesProps {
  video: CallInfo['video'];
  remoteName: string;
  canAddVideo: boolean;
  busy: boolean;
  remoteCanvasRef?: Ref<HTMLCanvasElement>;
  localPreviewRef?: Ref<HTMLVideoElement>;
  onAddVideo(): void;
  onStopVideo(): void;
}

export function VideoTiles({ video, remoteName, canAddVideo, busy, remoteCanvasRef, localPreviewRef, onAddVideo, onStopVideo }: VideoTilesProps) {
  const sending = video.local !== 'off';
  return (
    <section className="video" aria-label="Video">
      <div className="actions">
        {sending ? (
          <button type="button" disabled={busy} onClick={onStopVideo}>
            Stop video
          </button>
        ) : (
          <button type="button" disabled={busy || !canAddVideo} onClick={onAddVideo}>
            Add video
          </button>
        )}
        <span role="status" aria-live="polite" className="video-status">
          {video.local === 'adding' ? 'Adding video…' : video.declinedByPeer ? `${remoteName} declined video.` : ''}
        </span>
      </div>
      <div className="tiles">
        {video.remote === 'on' ? (
          <figure className="tile remote">
            <canvas ref={remoteCanvasRef} width={640} height={480} aria-label={`Video from ${remoteName}`} data-testid="remote-video" />
            <figcaption>{remoteName}</figcaption>
          </figure>
        ) : null}
        {sending ? (
          <figure className="tile local">
            <video ref={localPreviewRef} muted autoPlay playsInline aria-label="Your camera preview" data-testid="local-preview" />
            <figcaption>You</figcaption>
          </figure>
        ) : null}
      </div>
    </section>
  );
}
