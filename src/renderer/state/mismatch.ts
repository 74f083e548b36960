// The "codes did not match" screen outlives the call it ended: AppCore ends the call on a
// mismatch, so the in-call screen is gone; this remembers whom it was with until dismissed.
import { create } from 'zustand';
import type { CallId } from '../../shared/api';

export interface MismatchNotice {
  callId: CallId;
  who: string;
  remoteUri: string;
}

export interface MismatchStore {
  notice: MismatchNotice | null;
  show(callId: CallId, who: string, remoteUri: string): void;
  dismiss(): void;
}

export const useMismatch = create<MismatchStore>((set) => ({
  notice: null,
  show: (callId, who, remoteUri) => set({ notice: { callId, who, remoteUri } }),
  dismiss: () => set({ notice: null }),
}));
