// One call's signalling (RFC 3261 §13-15): SipSession for the call layer, UaContext for the UA.
export { SipSession } from './session';
export { ALLOW } from './types';
export type { ReinviteDecision, SessionEnd, SessionState, SipBody, UaContext } from './types';
