// Calls as the UI sees them, reduced from `callState` events. The active call is the one the
// in-call screen shows; an incoming call while another is up waits beside it. The last ended call
// is kept so the screen can say why it ended.
import type { CallId, CallInfo } from '../../shared/api';

export interface CallsState {
  calls: Record<CallId, CallInfo>;
  activeCallId: CallId | null;
  lastEnded: CallInfo | null;
}

export const initialCallsState: CallsState = { calls: {}, activeCallId: null, lastEnded: null };

export function reduceCallState(state: CallsState, call: CallInfo): CallsState {
  if (call.state === 'ended') {
    const calls = { ...state.calls };
    delete calls[call.callId];
    const activeCallId = state.activeCallId === call.callId ? pickActive(calls) : state.activeCallId;
    return { calls, activeCallId, lastEnded: call };
  }
  const calls = { ...state.calls, [call.callId]: call };
  const activeCallId = state.activeCallId ?? (call.state === 'incoming' ? null : call.callId);
  return { ...state, calls, activeCallId: activeCallId ?? pickActive(calls) };
}

/** Answering makes the incoming call the active one. */
export function activateCall(state: CallsState, callId: CallId): CallsState {
  return state.calls[callId] ? { ...state, activeCallId: callId } : state;
}

function pickActive(calls: Record<CallId, CallInfo>): CallId | null {
  const up = Object.values(calls).find((c) => c.state !== 'incoming');
  return up ? up.callId : null;
}

export function activeCall(state: CallsState): CallInfo | null {
  return state.activeCallId === null ? null : (state.calls[state.activeCallId] ?? null);
}

/** The incoming call to ring for: the oldest one still waiting for an answer. */
export function incomingCall(state: CallsState): CallInfo | null {
  return Object.values(state.calls).find((c) => c.state === 'incoming' && c.callId !== state.activeCallId) ?? null;
}
