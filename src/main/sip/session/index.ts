// One call's signalling (RFC 3261 §13-15): SipSession for the call layer, UaContext for the UA.
export { SipSession } from './session';
export { ACCEPT, ALLOW, OPTION_TAGS, SUPPORTED } from './types';
export { MIN_SE, sessionIntervalTooSmall } from './timer';
export type { ReinviteDecision, SessionEnd, SessionState, SipBody, UaContext } from './types';
export type { ReferProgress } from './refer';
