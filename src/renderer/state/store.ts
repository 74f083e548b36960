// The zustand store holding VouchState; the reducers stay pure (vouch-state.ts), this file only
// wires them to React. Hooks read one slice each so a stats tick does not re-render the dialer.
import { create } from 'zustand';
import type { ApiEvent, AppStateSnapshot, CallId, HistoryEntry } from '../../shared/api';
import { activateCall, activeCall, incomingCall } from './calls';
import { addError, dismissError, dismissScope, type ErrorScope } from './errors';
import { applyHistory, applySnapshot, initialVouchState, reduceEvent, type VouchState } from './vouch-state';

export interface VouchStore extends VouchState {
  dispatch(event: ApiEvent): void;
  loadSnapshot(snapshot: AppStateSnapshot): void;
  loadHistory(history: HistoryEntry[]): void;
  showError(scope: ErrorScope, message: string): void;
  dismissError(id: number): void;
  clearErrors(scope: ErrorScope): void;
  activate(callId: CallId): void;
  finishSetup(): void;
  dismissProtectionWarning(): void;
}

export const useVouchStore = create<VouchStore>((set) => ({
  ...initialVouchState,
  dispatch: (event) => set((s) => reduceEvent(s, event)),
  loadSnapshot: (snapshot) => set((s) => applySnapshot(s, snapshot)),
  loadHistory: (history) => set((s) => applyHistory(s, history)),
  showError: (scope, message) => set((s) => ({ errors: addError(s.errors, scope, message) })),
  dismissError: (id) => set((s) => ({ errors: dismissError(s.errors, id) })),
  clearErrors: (scope) => set((s) => ({ errors: dismissScope(s.errors, scope) })),
  activate: (callId) => set((s) => ({ calls: activateCall(s.calls, callId) })),
  finishSetup: () => set({ needsSetup: false }),
  dismissProtectionWarning: () => set({ protectionLowered: [] }),
}));

export const useActiveCall = () => useVouchStore((s) => activeCall(s.calls));
export const useIncomingCall = () => useVouchStore((s) => incomingCall(s.calls));
export const useLastEndedCall = () => useVouchStore((s) => s.calls.lastEnded);
export const useCallSecurity = (callId: CallId | undefined) => useVouchStore((s) => (callId === undefined ? undefined : s.security[callId]));
export const useCallStats = (callId: CallId | undefined) => useVouchStore((s) => (callId === undefined ? undefined : s.stats[callId]));
export const useRegistration = () => useVouchStore((s) => s.registration);
export const useListening = () => useVouchStore((s) => s.listening);
export const useSettings = () => useVouchStore((s) => s.settings);
export const useHistory = () => useVouchStore((s) => s.history);
export const useContacts = () => useVouchStore((s) => s.contacts);
export const useErrors = () => useVouchStore((s) => s.errors.errors);
export const useVerifiedPeers = () => useVouchStore((s) => s.verifiedPeers);
export const useProtectionLowered = () => useVouchStore((s) => s.protectionLowered);
