// Fixtures for tests of what front ends show (src/shared, and the CLI in src/main).
import type { CallInfo } from './api';

/** An ended outgoing call to sip:bob@203.0.113.20, with `patch` on top. */
export function endedCall(patch: Partial<CallInfo>): CallInfo {
  return {
    callId: 3,
    direction: 'outgoing',
    state: 'ended',
    remoteUri: 'sip:bob@203.0.113.20',
    remoteName: '',
    startedAt: 0,
    held: false,
    remoteHeld: false,
    muted: false,
    video: { local: 'off', remote: 'off', declinedByPeer: false },
    ...patch,
  };
}
