// What the media side shows in the UI: audio levels per call (for the meters) and the local camera
// stream (for the preview). Written by media/media-manager at a few Hz, read by the in-call screen.
import { create } from 'zustand';
import type { CallId, DeviceSettings } from '../../shared/api';

export interface MediaLevels {
  microphone: number;
  speaker: number;
}

export interface MediaStore {
  levels: Record<CallId, MediaLevels>;
  localStreams: Record<CallId, MediaStream | null>;
  /** The devices each call really uses (track settings, audio sink), '' where unknown. */
  devicesInUse: Record<CallId, DeviceSettings>;
  setLevels(callId: CallId, levels: MediaLevels): void;
  setLocalStream(callId: CallId, stream: MediaStream | null): void;
  setDevicesInUse(callId: CallId, devices: DeviceSettings): void;
  forget(callId: CallId): void;
}

export const NO_LEVELS: MediaLevels = { microphone: 0, speaker: 0 };

export const useMediaStore = create<MediaStore>((set) => ({
  levels: {},
  localStreams: {},
  devicesInUse: {},
  setLevels: (callId, levels) => set((s) => ({ levels: { ...s.levels, [callId]: levels } })),
  setLocalStream: (callId, stream) => set((s) => ({ localStreams: { ...s.localStreams, [callId]: stream } })),
  // Published with the levels; a new object only when a device changed, so nothing re-renders for nothing.
  setDevicesInUse: (callId, devices) =>
    set((s) => {
      const was = s.devicesInUse[callId];
      if (was && was.microphoneId === devices.microphoneId && was.speakerId === devices.speakerId && was.cameraId === devices.cameraId) return s;
      return { devicesInUse: { ...s.devicesInUse, [callId]: devices } };
    }),
  forget: (callId) =>
    set((s) => {
      const levels = { ...s.levels };
      const localStreams = { ...s.localStreams };
      const devicesInUse = { ...s.devicesInUse };
      delete levels[callId];
      delete localStreams[callId];
      delete devicesInUse[callId];
      return { levels, localStreams, devicesInUse };
    }),
}));
