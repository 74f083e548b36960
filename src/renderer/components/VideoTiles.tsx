// Video on the call stage: the remote picture fills the stage, letterboxed (object-fit: contain,
// never cropped), and the self view is a picture-in-picture in a corner, moved by dragging or by
// the arrow keys. The remote canvas (the decoder draws on it) is there as soon as video is
// negotiated, but says "Connecting video…" until the stream is keyed and frames arrive.
import type { KeyboardEvent, PointerEvent, Ref } from 'react';
import type { PipCorner } from '../state/call-stage';
import type { ShownVideo } from '../state/video-state';

export interface VideoTilesProps {
  video: ShownVideo;
  remoteName: string;
  pipCorner: PipCorner;
  remoteCanvasRef?: Ref<HTMLCanvasElement>;
  localPreviewRef?: Ref<HTMLVideoElement>;
  /** Arrow keys on the focused self view. */
  onPipKey(key: string): void;
  /** A drag let go here, as fractions (0..1) of the stage. */
  onPipDrop(x: number, y: number): void;
}

function dropAt(e: PointerEvent<HTMLElement>, onPipDrop: VideoTilesProps['onPipDrop']) {
  const stage = e.currentTarget.closest('.stage-media');
  if (!stage) return;
  const r = stage.getBoundingClientRect();
  if (r.width > 0 && r.height > 0) onPipDrop((e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
}

export function VideoTiles({ video, remoteName, pipCorner, remoteCanvasRef, localPreviewRef, onPipKey, onPipDrop }: VideoTilesProps) {
  return (
    <>
      {video.remote !== 'off' ? (
        <figure className="tile remote" data-flowing={video.remote === 'on'}>
          <canvas ref={remoteCanvasRef} width={640} height={480} aria-label={`Video from ${remoteName}`} data-testid="remote-video" />
          {video.remote === 'connecting' ? <figcaption className="video-connecting">Connecting video…</figcaption> : null}
        </figure>
      ) : null}
      {video.local !== 'off' ? (
        <figure
          className="tile local pip"
          data-corner={pipCorner}
          tabIndex={0}
          aria-label={`Your camera, ${pipCorner.replace('-', ' ')}. Arrow keys move it.`}
          onKeyDown={(e: KeyboardEvent<HTMLElement>) => {
            if (e.key.startsWith('Arrow')) {
              e.preventDefault();
              onPipKey(e.key);
            }
          }}
          onPointerDown={(e) => e.currentTarget.setPointerCapture(e.pointerId)}
          onPointerUp={(e) => dropAt(e, onPipDrop)}
        >
          <video ref={localPreviewRef} muted autoPlay playsInline aria-label="Your camera preview" data-testid="local-preview" />
        </figure>
      ) : null}
    </>
  );
}
