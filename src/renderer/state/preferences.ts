// Preferences that live only in this renderer (localStorage), not in AppCore's settings: whether
// the in-call keyboard shortcuts are on. Absent storage (tests, a locked-down shell) means defaults.
import { create } from 'zustand';

const KEY = 'vouch.callShortcuts';

function stored(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEY) !== 'off';
  } catch {
    return true;
  }
}

export interface PreferencesStore {
  callShortcuts: boolean;
  setCallShortcuts(on: boolean): void;
}

export const usePreferences = create<PreferencesStore>((set) => ({
  callShortcuts: stored(),
  setCallShortcuts: (on) => {
    try {
      globalThis.localStorage?.setItem(KEY, on ? 'on' : 'off');
    } catch {
      // Not stored; it still holds for this window.
    }
    set({ callShortcuts: on });
  },
}));
