// Settings' camera preview (issue 21): a toggle beside the Camera select and, under it, the chosen
// camera live in a small muted <video>, with its name and size, or why it could not be opened.
// During a call the camera is the call's: no preview, and the page says so.
import type { Ref } from "react";

/** Settings' camera preview: off, opening the chosen camera, showing it, or why it could not. */
export type CameraPreviewView =
  | { state: "off" }
  | { state: "opening" }
  | { state: "on"; caption: string }
  | { state: "failed"; message: string };

export function CameraPreviewToggle({
  view,
  inCall,
  onToggle,
}: {
  view: CameraPreviewView;
  inCall: boolean;
  onToggle(): void;
}) {
  const open = view.state !== "off";
  return (
    <button
      type="button"
      onClick={onToggle}
      aria-pressed={open}
      disabled={inCall && !open}
      aria-describedby={inCall ? "camera-preview-in-call" : undefined}
    >
      {open ? "Stop camera preview" : "Preview camera"}
    </button>
  );
}

/** The chosen camera, mirrored as people expect to see themselves, letterboxed, with its name and size under it. */
export function CameraPreviewBox({
  view,
  videoRef,
  inCall,
}: {
  view: CameraPreviewView;
  videoRef?: Ref<HTMLVideoElement>;
  inCall: boolean;
}) {
  if (inCall) {
    return (
      <p className="hint" id="camera-preview-in-call">
        The camera preview is off during a call.
      </p>
    );
  }
  if (view.state === "off") return null;
  if (view.state === "failed") {
    return (
      <p className="field-error camera-preview-error" role="alert">
        {view.message}
      </p>
    );
  }
  return (
    <figure className="camera-preview">
      <video
        ref={videoRef}
        muted
        autoPlay
        playsInline
        aria-label="Camera preview"
        data-testid="camera-preview"
      />
      <figcaption aria-live="polite">
        {view.state === "on" ? view.caption : "Opening the camera…"}
      </figcaption>
    </figure>
  );
}
