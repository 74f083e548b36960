// VP8 video through WebCodecs: the camera is encoded at the bitrate the loss controller sets, with
// a keyframe on request (PLI/FIR from the peer); received frames decode onto a canvas, waiting
// for a keyframe first and asking for one after a decode error.
import { deviceConstraint } from './audio-engine';
import { microsToRtp, rtpToMicros, unwrapRtp } from './rtp-clock';

export const VP8_CLOCK = 90_000;
export const VIDEO_WIDTH = 640;
export const VIDEO_HEIGHT = 480;
export const VIDEO_FPS = 30;
/** A keyframe at least this often, so a receiver that lost one recovers without asking. */
const KEYFRAME_INTERVAL_MS = 10_000;

export interface EncodedVideo {
  payload: Uint8Array;
  timestamp: number;
  keyframe: boolean;
}

function openCamera(cameraId: string): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    video: { deviceId: deviceConstraint(cameraId), width: { ideal: VIDEO_WIDTH }, height: { ideal: VIDEO_HEIGHT }, frameRate: { ideal: VIDEO_FPS } },
  });
}

function stopTracks(stream: MediaStream): void {
  for (const t of stream.getTracks()) t.stop();
}

/** Time for a new camera's first frame to come out of the encoder before the switch counts as done anyway. */
const SWITCH_CONFIRM_MS = 5_000;

/** The camera before a switch, kept until the new camera's first frame is encoded. */
interface CameraFallback {
  stream: MediaStream;
  /** Timestamp (µs) of the first frame captured from the new camera; null before it. */
  fromUs: number | null;
  timer: ReturnType<typeof setTimeout>;
  settle(error?: Error): void;
}

export class VideoSender {
  private keyframeWanted = true;
  private lastKeyframeAt = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private bitrate: number;
  private configuredSize = { width: 0, height: 0 };
  private switches = 0;
  private encoder: VideoEncoder;
  private fallback: CameraFallback | null = null;

  private constructor(
    private camera: MediaStream,
    private readonly video: HTMLVideoElement,
    startBitrate: number,
    private readonly onEncoded: (e: EncodedVideo) => void,
    private readonly onError: (e: Error) => void,
  ) {
    this.bitrate = startBitrate;
    this.encoder = this.createEncoder();
  }

  /** Opens the camera (getUserMedia) and starts encoding into `onEncoded`. */
  static async open(cameraId: string, startBitrate: number, onEncoded: (e: EncodedVideo) => void, onError: (e: Error) => void): Promise<VideoSender> {
    const stream = await openCamera(cameraId);
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    await video.play();
    const sender = new VideoSender(stream, video, startBitrate, onEncoded, onError);
    sender.configure();
    const started = performance.now();
    sender.timer = setInterval(() => sender.captureFrame(started), 1000 / VIDEO_FPS);
    return sender;
  }

  private createEncoder(): VideoEncoder {
    return new VideoEncoder({
      output: (chunk) => {
        const f = this.fallback;
        if (f && f.fromUs !== null && chunk.timestamp >= f.fromUs) this.confirmSwitch();
        const payload = new Uint8Array(chunk.byteLength);
        chunk.copyTo(payload);
        this.onEncoded({ payload, timestamp: microsToRtp(chunk.timestamp, VP8_CLOCK), keyframe: chunk.type === 'key' });
      },
      error: (e) => this.encoderFailed(e instanceof Error ? e : new Error(String(e))),
    });
  }

  /** The camera's stream (the self view shows it); a switch replaces it. */
  get stream(): MediaStream {
    return this.camera;
  }

  /** The camera the encoder really reads (its track's settings), '' when unknown. */
  get deviceId(): string {
    return this.camera.getVideoTracks()[0]?.getSettings().deviceId ?? '';
  }

  /**
   * Mid-call camera change: the new camera opens first, the encoder keeps running and reads it
   * from the next frame on (a keyframe, so the peer's decoder starts clean). The old camera stays
   * open until a frame of the new one has been encoded: if the encoder cannot take the new
   * camera's frames (a depth or infrared camera, say), the call goes back to the old one and this
   * rejects. A failed open rejects too, with the old camera in use; of overlapping switches the
   * latest wins.
   */
  async switchCamera(cameraId: string): Promise<MediaStream> {
    const mine = ++this.switches;
    const next = await openCamera(cameraId);
    if (mine !== this.switches || this.encoder.state === 'closed') {
      stopTracks(next);
      return this.camera;
    }
    // An earlier switch not confirmed yet: its camera goes, the one known to work stays the fallback.
    const earlier = this.fallback;
    const known = earlier ? earlier.stream : this.camera;
    if (earlier) {
      clearTimeout(earlier.timer);
      this.fallback = null;
      stopTracks(this.camera);
      earlier.settle();
    }
    const confirmed = new Promise<void>((resolve, reject) => {
      this.fallback = {
        stream: known,
        fromUs: null,
        timer: setTimeout(() => this.confirmSwitch(), SWITCH_CONFIRM_MS),
        settle: (error) => (error ? reject(error) : resolve()),
      };
    });
    this.camera = next;
    this.video.srcObject = next;
    this.keyframeWanted = true;
    await this.video.play().catch(() => undefined);
    await confirmed;
    return next;
  }

  /** The new camera's frames encode: the old camera can stop. */
  private confirmSwitch(): void {
    const f = this.fallback;
    if (!f) return;
    this.fallback = null;
    clearTimeout(f.timer);
    stopTracks(f.stream);
    f.settle();
  }

  private encoderFailed(e: Error): void {
    const f = this.fallback;
    if (!f || this.timer === null) return this.onError(e);
    // The encoder (now closed) could not take the new camera's frames: back to the camera that worked.
    this.fallback = null;
    clearTimeout(f.timer);
    const refused = this.camera;
    this.camera = f.stream;
    this.video.srcObject = f.stream;
    void this.video.play().catch(() => undefined);
    stopTracks(refused);
    this.encoder = this.createEncoder();
    this.configure();
    this.keyframeWanted = true;
    f.settle(new Error(`the call cannot send that camera's picture (${e.message.replace(/\.+$/, '')}), so it stayed on the camera it had`));
  }

  private configure(): void {
    const width = this.video.videoWidth || VIDEO_WIDTH;
    const height = this.video.videoHeight || VIDEO_HEIGHT;
    this.configuredSize = { width, height };
    this.encoder.configure({ codec: 'vp8', width, height, bitrate: this.bitrate, framerate: VIDEO_FPS, latencyMode: 'realtime' });
  }

  private captureFrame(started: number): void {
    if (this.encoder.state !== 'configured' || this.video.readyState < 2) return;
    // Drop a frame rather than queue behind a slow encoder: latency matters more than frame rate.
    if (this.encoder.encodeQueueSize > 2) return;
    // Another camera may deliver another size: the encoder follows it.
    if (this.video.videoWidth && (this.video.videoWidth !== this.configuredSize.width || this.video.videoHeight !== this.configuredSize.height)) this.configure();
    const now = performance.now();
    const frame = new VideoFrame(this.video, { timestamp: Math.round((now - started) * 1000) });
    if (this.fallback && this.fallback.fromUs === null && this.video.srcObject === this.camera) this.fallback.fromUs = frame.timestamp;
    const keyFrame = this.keyframeWanted || now - this.lastKeyframeAt > KEYFRAME_INTERVAL_MS;
    if (keyFrame) {
      this.keyframeWanted = false;
      this.lastKeyframeAt = now;
    }
    this.encoder.encode(frame, { keyFrame });
    frame.close();
  }

  /** The peer lost a frame (PLI/FIR, RFC 4585 §6.3.1 / RFC 5104 §4.3.1): the next frame is a keyframe. */
  requestKeyframe(): void {
    this.keyframeWanted = true;
  }

  setBitrate(bps: number): void {
    if (bps === this.bitrate) return;
    this.bitrate = bps;
    if (this.encoder.state === 'configured') this.configure();
  }

  get currentBitrate(): number {
    return this.bitrate;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.switches++;
    this.confirmSwitch();
    if (this.encoder.state !== 'closed') this.encoder.close();
    stopTracks(this.camera);
    this.video.srcObject = null;
  }
}

export class VideoReceiver {
  private canvas: HTMLCanvasElement | null = null;
  private waitingForKeyframe = true;
  private last: number | null = null;
  private decoder: VideoDecoder;
  framesDrawn = 0;

  constructor(
    private readonly onNeedKeyframe: () => void,
    private readonly onError: (e: Error) => void,
  ) {
    this.decoder = this.createDecoder();
  }

  private createDecoder(): VideoDecoder {
    const decoder = new VideoDecoder({
      output: (frame) => this.draw(frame),
      error: (e) => {
        this.onError(e instanceof Error ? e : new Error(String(e)));
        this.restart();
      },
    });
    decoder.configure({ codec: 'vp8', optimizeForLatency: true });
    return decoder;
  }

  private restart(): void {
    if (this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = this.createDecoder();
    this.waitingForKeyframe = true;
    this.onNeedKeyframe();
  }

  attachCanvas(canvas: HTMLCanvasElement | null): void {
    this.canvas = canvas;
  }

  receive(payload: Uint8Array, timestamp: number, keyframe: boolean): void {
    if (this.decoder.state !== 'configured') return;
    if (this.waitingForKeyframe && !keyframe) return;
    this.waitingForKeyframe = false;
    this.last = unwrapRtp(timestamp, this.last);
    this.decoder.decode(new EncodedVideoChunk({ type: keyframe ? 'key' : 'delta', timestamp: rtpToMicros(this.last, VP8_CLOCK), data: payload }));
  }

  private draw(frame: VideoFrame): void {
    const canvas = this.canvas;
    if (canvas) {
      if (canvas.width !== frame.displayWidth || canvas.height !== frame.displayHeight) {
        canvas.width = frame.displayWidth;
        canvas.height = frame.displayHeight;
      }
      canvas.getContext('2d')?.drawImage(frame, 0, 0);
      this.framesDrawn++;
    }
    frame.close();
  }

  close(): void {
    if (this.decoder.state !== 'closed') this.decoder.close();
  }
}
