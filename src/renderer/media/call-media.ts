// The media of one call in the renderer: microphone -> encoder -> AppCore, AppCore -> decoder ->
// speaker, and the same for video once it is added. Frames go through `sendMediaFrame` and come
// back through `onMediaFrame` (relayed by main to the call's media worker).
import type { AudioCodec, CallId, CallStats, DeviceSettings, MediaFrame, VouchApi } from '../../shared/api';
import { AudioCapture, AudioPlayout } from './audio-engine';
import { createAudioReceiver, createAudioSender, type AudioReceiver, type AudioSender } from './audio-codecs';
import { createBitrateController, significantChange, type BitrateController } from './bitrate-controller';
import { changedDevices, SwitchableDevice } from './device-switch';
import { loadLibopus } from './libopus-module';
import type { LibopusExports } from '../../shared/audio/libopus';
import { VideoReceiver, VideoSender } from './video-codecs';

export const VIDEO_BITRATE = { minBps: 150_000, maxBps: 1_500_000, startBps: 600_000 };

export type MediaErrorReporter = (action: string, e: unknown) => void;

/** The devices a call really uses (from the tracks and the audio sink), '' where unknown or none. */
export interface DevicesInUse {
  microphoneId: string;
  speakerId: string;
  cameraId: string;
}

function audioCodecOf(name: string | undefined): AudioCodec | null {
  const n = name?.toLowerCase();
  return n === 'opus' || n === 'pcmu' || n === 'pcma' ? n : null;
}

export class CallMedia {
  /** The microphone; a switch mid-call replaces it while the encoder (sender) keeps running. */
  private readonly microphone = new SwitchableDevice<AudioCapture>((id) => this.openCapture(id));
  private sender: AudioSender | null = null;
  /** The negotiated audio codec (CallInfo.codecs.audio); nothing is encoded before it is known. */
  private sendCodec: AudioCodec | null = null;
  private playout: AudioPlayout | null = null;
  private readonly receivers = new Map<AudioCodec, AudioReceiver>();
  /** libopus for the Opus receiver (FEC and PLC); null if its module failed to load (WebCodecs decodes then). */
  private libopus: LibopusExports | null = null;
  private video: VideoSender | null = null;
  private videoReceiver: VideoReceiver | null = null;
  private remoteCanvas: HTMLCanvasElement | null = null;
  private readonly bitrate: BitrateController = createBitrateController(VIDEO_BITRATE);
  private muted = false;
  private closed = false;

  constructor(
    private readonly api: VouchApi,
    readonly callId: CallId,
    private devices: DeviceSettings,
    private readonly report: MediaErrorReporter,
  ) {}

  async startAudio(): Promise<void> {
    try {
      const libopus = loadLibopus().catch((e: unknown) => {
        this.report('load the Opus decoder (lost audio is concealed without FEC)', e);
        return null;
      });
      const playout = await AudioPlayout.create(this.devices.speakerId);
      // Before the playout is there no frame is decoded: the first receiver already has libopus.
      this.libopus = await libopus;
      this.playout = playout;
      await this.microphone.switchTo(this.devices.microphoneId);
      if (this.closed) return this.close();
      if (this.sendCodec) this.sender ??= this.createSender(this.sendCodec);
    } catch (e) {
      this.report('use the microphone', e);
    }
  }

  private async openCapture(microphoneId: string): Promise<AudioCapture> {
    // Blocks reach the encoder only from the capture in use: while a switch has both open, the
    // new one is silent until it takes over.
    const capture: AudioCapture = await AudioCapture.open(microphoneId, (samples, rate) => {
      if (!this.muted && this.microphone.device === capture) this.sender?.push(samples, rate);
    });
    return capture;
  }

  /**
   * The user chose other devices during the call: the microphone and camera reopen on the new
   * device without a new sender or encoder, the speaker moves with setSinkId. A device that
   * cannot be opened is reported and the call keeps the one it had.
   */
  async useDevices(next: DeviceSettings): Promise<void> {
    const changed = changedDevices(this.devices, next);
    this.devices = { ...next };
    const work: Promise<unknown>[] = [];
    if (changed.includes('microphoneId') && this.microphone.device) {
      work.push(this.microphone.switchTo(next.microphoneId).catch((e) => this.report('switch to that microphone', e)));
    }
    if (changed.includes('speakerId') && this.playout) {
      work.push(this.playout.setSpeaker(next.speakerId).catch((e) => this.report('switch to that speaker', e)));
    }
    if (changed.includes('cameraId') && this.video) {
      work.push(this.video.switchCamera(next.cameraId).catch((e) => this.report('switch to that camera', e)));
    }
    await Promise.all(work);
  }

  devicesInUse(): DevicesInUse {
    return { microphoneId: this.microphone.device?.deviceId ?? '', speakerId: this.playout?.speakerId ?? '', cameraId: this.video?.deviceId ?? '' };
  }

  /** The call state named the negotiated audio codec (or a new one after a re-offer): encode for it. */
  setSendCodec(codec: AudioCodec | null): void {
    if (codec === this.sendCodec) return;
    this.sendCodec = codec;
    this.sender?.close();
    this.sender = codec && this.microphone.device && !this.closed ? this.createSender(codec) : null;
  }

  private createSender(codec: AudioCodec): AudioSender {
    return createAudioSender(
      codec,
      (encoded) => this.send({ header: { callId: this.callId, stream: 'audio', codec, timestamp: encoded.timestamp, keyframe: false }, payload: encoded.payload }),
      (e) => this.report('encode audio', e),
    );
  }

  private send(frame: MediaFrame): void {
    if (!this.closed) this.api.sendMediaFrame(frame);
  }

  setMuted(on: boolean): void {
    this.muted = on;
  }

  /** Opens the camera; the preview shows `stream`. Throws when the camera is denied. */
  async startVideo(): Promise<MediaStream> {
    if (this.video) return this.video.stream;
    this.video = await VideoSender.open(
      this.devices.cameraId,
      this.bitrate.bitrate,
      (encoded) => this.send({ header: { callId: this.callId, stream: 'video', codec: 'vp8', timestamp: encoded.timestamp, keyframe: encoded.keyframe }, payload: encoded.payload }),
      (e) => this.report('encode video', e),
    );
    return this.video.stream;
  }

  stopVideo(): void {
    this.video?.close();
    this.video = null;
  }

  /** The camera's stream for the self view (a camera switch replaces it), or null without video. */
  get localStream(): MediaStream | null {
    return this.video?.stream ?? null;
  }

  get sendingVideo(): boolean {
    return this.video !== null;
  }

  attachRemoteCanvas(canvas: HTMLCanvasElement | null): void {
    this.remoteCanvas = canvas;
    this.videoReceiver?.attachCanvas(canvas);
  }

  stopRemoteVideo(): void {
    this.videoReceiver?.close();
    this.videoReceiver = null;
  }

  onFrame(frame: MediaFrame): void {
    if (this.closed) return;
    const { header, payload } = frame;
    if (header.stream === 'video') {
      if (!this.videoReceiver) {
        this.videoReceiver = new VideoReceiver(
          () => void this.api.invoke('requestKeyframeFromPeer', { callId: this.callId }).catch(() => undefined),
          (e) => this.report('decode video', e),
        );
        this.videoReceiver.attachCanvas(this.remoteCanvas);
      }
      this.videoReceiver.receive(payload, header.timestamp, header.keyframe);
      return;
    }
    const codec = audioCodecOf(header.codec);
    if (!codec || !this.playout) return;
    let receiver = this.receivers.get(codec);
    if (!receiver) {
      const playout = this.playout;
      receiver = createAudioReceiver(codec, (samples, rate) => playout.play(samples, rate), (e) => this.report('decode audio', e), this.libopus);
      this.receivers.set(codec, receiver);
    }
    receiver.receive(payload, header.timestamp, header.lost === true);
  }

  /** The peer's PLI/FIR reached us as the event 'peerWantsKeyframe': the next encoded frame is a keyframe. */
  onPeerWantsKeyframe(): void {
    this.video?.requestKeyframe();
  }

  /** Loss and round-trip time drive the video encoder's bitrate; loss drives the Opus FEC. */
  onStats(stats: CallStats, nowMs: number): void {
    const video = stats.streams.find((s) => s.stream === 'video');
    if (video && this.video) {
      const target = this.bitrate.update(video.fractionLost, nowMs, video.rttMs);
      if (significantChange(this.video.currentBitrate, target)) this.video.setBitrate(target);
    }
    // Opus sizes its in-band FEC for the loss the peer reports (RFC 7587 §3.3).
    const audio = stats.streams.find((s) => s.stream === 'audio');
    if (audio) this.sender?.setPacketLoss(audio.fractionLost);
  }

  levels(): { microphone: number; speaker: number } {
    return { microphone: this.muted ? 0 : (this.microphone.device?.level ?? 0), speaker: this.playout?.level ?? 0 };
  }

  close(): void {
    this.closed = true;
    this.sender?.close();
    this.microphone.close();
    for (const r of this.receivers.values()) r.close();
    this.receivers.clear();
    this.playout?.close();
    this.stopVideo();
    this.stopRemoteVideo();
  }
}
