// The app's top-level state (zustand): connection to AppCore and the worker round trip.
import { create } from 'zustand';
import type { AppStateSnapshot } from '../../shared/api';
import type { ConnectionState } from '../api/client';

export interface AppStore {
  connection: ConnectionState;
  shell: 'electron' | 'browser' | '';
  snapshot: AppStateSnapshot | null;
  workerRoundTripMs: number | null;
  error: string;
  set(patch: Partial<Omit<AppStore, 'set'>>): void;
}

export const useAppStore = create<AppStore>((set) => ({
  connection: 'connecting',
  shell: '',
  snapshot: null,
  workerRoundTripMs: null,
  error: '',
  set: (patch) => set(patch),
}));
