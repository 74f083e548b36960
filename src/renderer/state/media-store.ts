// What the media side shows in the UI: audio levels per call (for the meters) and the local camera
// stream (for the preview). Written by media/media-manager at a few Hz, read by the in-call screen.
import { create } from 'zustand';
import type { CallId } from '../../shared/api';

export interface MediaLevels {
  microphone: number;
  speaker: number;
}

export interface MediaStore {
  levels: Record<CallId, MediaLevels>;
  localStreams: Record<CallId, MediaStream | null>;
  setLevels(callId: CallId, levels: MediaLevels): void;
  setLocalStream(callId: CallId, stream: MediaStream | null): void;
  forget(callId: CallId): void;
}

export const NO_LEVELS: MediaLevels = { microphone: 0, speaker: 0 };

export const useMediaStore = create<MediaStore>((set) => ({
  levels: {},
  localStreams: {},
  setLevels: (callId, levels) => set((s) => ({ levels: { ...s.levels, [callId]: levels } })),
  setLocalStream: (callId, stream) => set((s) => ({ localStreams: { ...s.localStreams, [callId]: stream } })),
  forget: (callId) =>
    set((s) => {
      const levels = { ...s.levels };
      const localStreams = { ...s.localStreams };
      delete levels[callId];
      delete localStreams[callId];
      return { levels, localStreams };
    }),
}));
