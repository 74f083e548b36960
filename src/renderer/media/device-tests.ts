// Settings' microphone test (a live level from the chosen microphone), speaker test (the
// ringtone through the chosen output) and camera preview (the chosen camera, before any call).
import { deviceConstraint } from './audio-engine';
import { createLevelSmoother, dbToMeter, rmsDbfs } from './level-meter';
import { VIDEO_FPS, VIDEO_HEIGHT, VIDEO_WIDTH } from './video-codecs';

export interface MicrophoneTest {
  stop(): void;
}

/** Reports the microphone's level (0..1) about 20 times a second until stopped. */
export async function startMicrophoneTest(microphoneId: string, onLevel: (level: number) => void): Promise<MicrophoneTest> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { deviceId: deviceConstraint(microphoneId) } });
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 2048;
  ctx.createMediaStreamSource(stream).connect(analyser);
  const block = new Float32Array(analyser.fftSize);
  const smoother = createLevelSmoother();
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(block);
    onLevel(smoother.next(dbToMeter(rmsDbfs(block)), 0.05));
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      for (const t of stream.getTracks()) t.stop();
      void ctx.close();
    },
  };
}

export interface SpeakerTest {
  stop(): void;
}

export async function startSpeakerTest(speakerId: string, soundUrl: string, onEnded: () => void): Promise<SpeakerTest> {
  const audio = new Audio(soundUrl);
  const sink = audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
  if (speakerId !== 'default' && sink.setSinkId) await sink.setSinkId(speakerId);
  audio.addEventListener('ended', onEnded, { once: true });
  await audio.play();
  return {
    stop() {
      audio.pause();
      audio.src = '';
    },
  };
}

export interface CameraPreview {
  /** For a muted <video>: the camera's one video track. */
  readonly stream: MediaStream;
  /** What the preview says under the picture: the camera's name and the size it delivers. */
  readonly caption: string;
  stop(): void;
}

/** "<camera>, <width> × <height>"; a camera without a name (no permission yet) is "Camera". */
export function cameraCaption(label: string, width: number | undefined, height: number | undefined): string {
  const name = label.trim() || 'Camera';
  return width && height ? `${name}, ${width} × ${height}` : name;
}

/**
 * Opens the chosen camera as a call would (same size and frame rate asked for), so the preview
 * shows the picture the other side would get. Rejects with getUserMedia's DOMException
 * (describeFailure words it) when the camera is unplugged, denied or held by another app.
 */
export async function startCameraPreview(cameraId: string): Promise<CameraPreview> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { deviceId: deviceConstraint(cameraId), width: { ideal: VIDEO_WIDTH }, height: { ideal: VIDEO_HEIGHT }, frameRate: { ideal: VIDEO_FPS } },
  });
  const track = stream.getVideoTracks()[0];
  const size = track?.getSettings() ?? {};
  return {
    stream,
    caption: cameraCaption(track?.label ?? '', size.width, size.height),
    stop() {
      for (const t of stream.getTracks()) t.stop();
    },
  };
}
