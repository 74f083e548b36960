// The SIP user agent (RFC 3261 §8, §12-15): SipUa, its options and counters.
export { SipUa } from './user-agent';
export type { SipUaOptions, SipUaStats } from './options';
