// Everything the renderer knows about AppCore, reduced from the snapshot and then from events.
// Pure: `reduceEvent(state, event)` returns the next state; the zustand store (store.ts) only
// holds it.
import type { ApiEvent, AppStateSnapshot, ContactWithSecurity, HistoryEntry, ListeningInfo, ProtectionChange, PublicSettings, RegistrationInfo } from '../../shared/api';
import { initialCallsState, reduceCallState, type CallsState } from './calls';
import { addError, initialErrorsState, type ErrorsState } from './errors';
import { forgetCallSecurity, reduceSecurity, type SecurityState } from './security';
import { forgetCallStats, reduceStats, statsUntil, type StatsState } from './stats';
import type { CallStats } from '../../shared/api';

export interface VouchState {
  snapshotLoaded: boolean;
  needsSetup: boolean;
  settings: PublicSettings | null;
  registration: RegistrationInfo;
  /** Where SIP listens: "Your address: …". */
  listening: ListeningInfo | null;
  calls: CallsState;
  security: SecurityState;
  stats: StatsState;
  /** The statistics of the call that ended last, as they stood at its end (no post-hangup tick). */
  lastEndedStats: CallStats[];
  history: HistoryEntry[];
  /** The address book, each contact with its security (AppCore tells it from the ZRTP cache). */
  contacts: ContactWithSecurity[];
  errors: ErrorsState;
  /** Remote URIs whose SAS was confirmed, so later calls show them as Verified at once. */
  verifiedPeers: string[];
  /** Last DTMF digit the peer sent, per call. */
  receivedDtmf: Record<number, string>;
  /** Settings changes that lowered protection, shown until dismissed (the latest per setting). */
  protectionLowered: ProtectionChange[];
}

export const initialVouchState: VouchState = {
  snapshotLoaded: false,
  needsSetup: false,
  settings: null,
  registration: { state: 'unregistered', address: '' },
  listening: null,
  calls: initialCallsState,
  security: {},
  stats: {},
  lastEndedStats: [],
  history: [],
  contacts: [],
  errors: initialErrorsState,
  verifiedPeers: [],
  receivedDtmf: {},
  protectionLowered: [],
};

/** First run: AppCore says so, or nothing about the account was ever entered. */
export function isFirstRun(snapshot: AppStateSnapshot): boolean {
  const a = snapshot.settings.account;
  return snapshot.needsSetup || (a.displayName === '' && a.address === '' && a.server === '');
}

export function applySnapshot(state: VouchState, snapshot: AppStateSnapshot): VouchState {
  let calls = initialCallsState;
  for (const c of snapshot.calls) calls = reduceCallState(calls, c);
  let security: SecurityState = {};
  for (const s of snapshot.security) security = reduceSecurity(security, s);
  return {
    ...state,
    snapshotLoaded: true,
    needsSetup: isFirstRun(snapshot),
    settings: snapshot.settings,
    registration: snapshot.registration,
    listening: snapshot.listening ?? state.listening,
    calls,
    security,
  };
}

function verifiedPeersFromHistory(history: HistoryEntry[], known: string[]): string[] {
  const peers = new Set(known);
  for (const h of history) if (h.verified) peers.add(h.remoteUri);
  return peers.size === known.length ? known : [...peers];
}

export function reduceEvent(state: VouchState, event: ApiEvent): VouchState {
  switch (event.type) {
    case 'callState': {
      const calls = reduceCallState(state.calls, event.call);
      if (event.call.state !== 'ended') return { ...state, calls };
      const receivedDtmf = { ...state.receivedDtmf };
      delete receivedDtmf[event.call.callId];
      return {
        ...state,
        calls,
        security: forgetCallSecurity(state.security, event.call.callId),
        stats: forgetCallStats(state.stats, event.call.callId),
        lastEndedStats: statsUntil(state.stats[event.call.callId] ?? [], event.call.endedAt),
        receivedDtmf,
      };
    }
    case 'security': {
      const security = reduceSecurity(state.security, event.security);
      const call = state.calls.calls[event.security.callId];
      let verifiedPeers = state.verifiedPeers;
      if (call && event.security.verified && !verifiedPeers.includes(call.remoteUri)) verifiedPeers = [...verifiedPeers, call.remoteUri];
      if (call && event.security.warnings.some((w) => w.kind === 'new-identity' || w.kind === 'cache-mismatch')) {
        verifiedPeers = verifiedPeers.filter((p) => p !== call.remoteUri);
      }
      return { ...state, security, verifiedPeers };
    }
    case 'stats': {
      // A sample for a call that has ended (the worker's last tick races the hang-up) would bring
      // the call back with a partial-interval spike; only live calls collect statistics.
      if (!state.calls.calls[event.stats.callId]) return state;
      return { ...state, stats: reduceStats(state.stats, event.stats) };
    }
    case 'registration':
      return { ...state, registration: event.registration };
    case 'listening':
      return { ...state, listening: event.listening };
    case 'settings':
      return { ...state, settings: event.settings };
    case 'history':
      return { ...state, history: event.history, verifiedPeers: verifiedPeersFromHistory(event.history, state.verifiedPeers) };
    case 'contacts':
      return { ...state, contacts: event.contacts };
    case 'peerWantsKeyframe':
      return state;
    case 'dtmf':
      return { ...state, receivedDtmf: { ...state.receivedDtmf, [event.callId]: event.digit } };
    case 'protectionLowered': {
      const settings = new Set(event.changes.map((c) => c.setting));
      return { ...state, protectionLowered: [...state.protectionLowered.filter((c) => !settings.has(c.setting)), ...event.changes] };
    }
    case 'path': {
      // The call details show the audio path; video's rides along (or is bundled) and is not shown.
      const call = state.calls.calls[event.callId];
      if (!call || event.stream !== 'audio') return state;
      const path = { kind: event.kind, ...(event.rttMs !== undefined ? { rttMs: event.rttMs } : {}) };
      return { ...state, calls: { ...state.calls, calls: { ...state.calls.calls, [event.callId]: { ...call, path } } } };
    }
    case 'error':
      return { ...state, errors: addError(state.errors, event.scope, event.message) };
  }
}

export function applyHistory(state: VouchState, history: HistoryEntry[]): VouchState {
  return reduceEvent(state, { type: 'history', history });
}
