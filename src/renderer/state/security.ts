// Security of each call (ZRTP/SDES state, SAS, warnings), reduced from `security` events. Keyed by
// call; dropped when the call ends.
import type { CallId, SecurityInfo } from '../../shared/api';

export type SecurityState = Record<CallId, SecurityInfo>;

export function reduceSecurity(state: SecurityState, security: SecurityInfo): SecurityState {
  return { ...state, [security.callId]: security };
}

export function forgetCallSecurity(state: SecurityState, callId: CallId): SecurityState {
  if (!(callId in state)) return state;
  const next = { ...state };
  delete next[callId];
  return next;
}

/** Warnings that must stop the user until the SAS is compared again (RFC 6189 §4.3.2, §8.1.1). */
export function blockingWarnings(security: SecurityInfo) {
  return security.warnings.filter((w) => w.kind === 'cache-mismatch' || w.kind === 'new-identity');
}
