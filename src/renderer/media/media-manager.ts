// Runs the media of every call from AppCore's events: audio starts when a call connects, the
// camera follows the call's video state, frames are routed by call id, keyframe requests and
// stats reach the right call, and levels are published for the meters.
import type { ApiEvent, CallId, CallInfo, DeviceSettings, PublicSettings, VouchApi } from '../../shared/api';
import { useMediaStore } from '../state/media-store';
import { useVouchStore } from '../state/store';
import { describeFailure } from '../state/words';
import { CallMedia } from './call-media';
import { audioSendCodec } from './send-codec';

const LEVEL_INTERVAL_MS = 100;

export class MediaManager {
  private readonly calls = new Map<CallId, CallMedia>();
  private devices: DeviceSettings = { microphoneId: 'default', speakerId: 'default', cameraId: 'default' };
  private levelTimer: ReturnType<typeof setInterval> | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly api: VouchApi) {
    this.unsubscribe = api.onMediaFrame((frame) => this.calls.get(frame.header.callId)?.onFrame(frame));
  }

  /** New settings: a device chosen during a call switches every running call to it at once. */
  useSettings(settings: PublicSettings | null): void {
    if (!settings) return;
    this.devices = { ...settings.devices };
    for (const [callId, media] of this.calls) {
      void media.useDevices(this.devices).then(() => {
        if (!this.calls.has(callId)) return;
        if (media.sendingVideo) useMediaStore.getState().setLocalStream(callId, media.localStream);
        this.publishDevicesInUse(callId, media);
      });
    }
  }

  private publishDevicesInUse(callId: CallId, media: CallMedia): void {
    useMediaStore.getState().setDevicesInUse(callId, media.devicesInUse());
  }

  handleEvent(event: ApiEvent): void {
    switch (event.type) {
      case 'callState':
        this.onCall(event.call);
        break;
      case 'peerWantsKeyframe':
        this.calls.get(event.callId)?.onPeerWantsKeyframe();
        break;
      case 'stats':
        this.calls.get(event.stats.callId)?.onStats(event.stats, performance.now());
        break;
      case 'settings':
        this.useSettings(event.settings);
        break;
      default:
        break;
    }
  }

  private report(action: string, e: unknown): void {
    useVouchStore.getState().showError('media', describeFailure(action, e));
  }

  private onCall(call: CallInfo): void {
    let media = this.calls.get(call.callId);
    if (call.state === 'ended') {
      media?.close();
      this.calls.delete(call.callId);
      useMediaStore.getState().forget(call.callId);
      if (this.calls.size === 0) this.stopLevels();
      return;
    }
    if (call.state !== 'connected' && call.state !== 'held') return;
    if (!media) {
      media = new CallMedia(this.api, call.callId, this.devices, (action, e) => this.report(action, e));
      this.calls.set(call.callId, media);
      void media.startAudio();
      this.startLevels();
    }
    media.setSendCodec(audioSendCodec(call));
    media.setMuted(call.muted || call.held);
    if (call.video.local === 'off' && media.sendingVideo) {
      media.stopVideo();
      useMediaStore.getState().setLocalStream(call.callId, null);
    } else if (call.video.local === 'on' && !media.sendingVideo) {
      // Video the peer added and we accepted (or AppCore turned on): open the camera here too.
      void this.startVideo(call.callId).catch((e) => this.report('open the camera', e));
    }
    if (call.video.remote === 'off') media.stopRemoteVideo();
  }

  /** Opens the camera for a call ("Add video" click); throws when the camera cannot be opened. */
  async startVideo(callId: CallId): Promise<void> {
    const media = this.calls.get(callId);
    if (!media) throw new Error('the call has no media yet');
    const stream = await media.startVideo();
    useMediaStore.getState().setLocalStream(callId, stream);
  }

  stopVideo(callId: CallId): void {
    this.calls.get(callId)?.stopVideo();
    useMediaStore.getState().setLocalStream(callId, null);
  }

  attachRemoteCanvas(callId: CallId, canvas: HTMLCanvasElement | null): void {
    this.calls.get(callId)?.attachRemoteCanvas(canvas);
  }

  private startLevels(): void {
    if (this.levelTimer) return;
    this.levelTimer = setInterval(() => {
      const store = useMediaStore.getState();
      for (const [callId, media] of this.calls) {
        store.setLevels(callId, media.levels());
        this.publishDevicesInUse(callId, media);
      }
    }, LEVEL_INTERVAL_MS);
  }

  private stopLevels(): void {
    if (this.levelTimer) clearInterval(this.levelTimer);
    this.levelTimer = null;
  }

  close(): void {
    this.unsubscribe();
    this.stopLevels();
    for (const m of this.calls.values()) m.close();
    this.calls.clear();
  }
}

let manager: MediaManager | null = null;

export function startMediaManager(api: VouchApi): MediaManager {
  manager ??= new MediaManager(api);
  return manager;
}

export function mediaManager(): MediaManager | null {
  return manager;
}
