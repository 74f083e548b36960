// Sans-IO ICE (RFC 8445, RFC 8838 trickle, RFC 7675 consent): candidates, check list, the agent.
export * from './candidate';
export * from './checklist';
export * from './consent';
export * from './agent';
export * from './messages';
export * from './types';
export * from './transactions';
