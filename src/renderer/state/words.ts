// What the app says: call states, end reasons, registration and command failures in words a
// person understands without a manual.
import type { ApiErrorCode, CallInfo, EndReason, RegistrationInfo, SecurityInfo } from '../../shared/api';
import { VouchApiError } from '../../shared/api';

const END_REASONS: Record<EndReason, string> = {
  'local-hangup': 'You hung up.',
  'remote-hangup': 'The other side hung up.',
  rejected: 'The call was declined.',
  busy: 'The other side is busy.',
  cancelled: 'The call was cancelled.',
  'not-found': 'No one answers at that address.',
  timeout: 'No answer.',
  'sas-mismatch': 'The call was ended because the security code did not match: someone may be listening in.',
  'security-refused': 'The call was ended because the connection could not be secured.',
  'network-error': 'The call was ended by a network error.',
  'connection-lost': 'The connection to the other person was lost.',
  failed: 'The call failed.',
};

export function describeEnd(call: CallInfo): string {
  const reason = END_REASONS[call.endReason ?? 'failed'];
  return call.sipStatus && call.endReason !== 'local-hangup' && call.endReason !== 'remote-hangup'
    ? `${reason} (${call.sipStatus}${call.sipReason ? ` ${call.sipReason}` : ''} from the server)`
    : reason;
}

/** The in-call state line: calling, ringing, securing…, secure. */
export function describeCallState(call: CallInfo, security: SecurityInfo | undefined): string {
  switch (call.state) {
    case 'calling':
      return 'Calling…';
    case 'ringing':
      return 'Ringing…';
    case 'incoming':
      return 'Incoming call';
    case 'held':
      return call.reconnecting ? 'On hold. Reconnecting…' : 'On hold';
    case 'ended':
      return 'Call ended';
    case 'connected':
      break;
  }
  if (call.reconnecting) return 'Reconnecting…';
  if (call.remoteHeld) return 'The other side put you on hold';
  if (!security || security.state === 'none' || security.state === 'securing') return 'Securing…';
  if (security.state === 'failed') return 'Not secure';
  if (security.mode === 'sdes') return 'Encrypted, not end-to-end';
  if (security.verified) return 'Secure and verified';
  return security.sas ? 'Secure: compare the code' : 'Secure';
}

function retryText(r: RegistrationInfo): string {
  return r.retryInSeconds !== undefined ? ` (retrying in ${r.retryInSeconds} s)` : '';
}

export function describeRegistration(r: RegistrationInfo): string {
  switch (r.state) {
    case 'registered':
      return `Registered as ${r.address}`;
    case 'registering':
      return r.reason ? `Registering ${r.address}: ${r.reason}${retryText(r)}` : `Registering ${r.address}…`;
    case 'unregistered':
      return r.address ? 'Not registered' : 'Direct IP calls only (no server)';
    case 'failed':
      return `Registration failed${r.sipStatus ? `: ${r.sipStatus}${r.reason ? ` ${r.reason}` : ''} from server` : r.reason ? `: ${r.reason}` : ''}${retryText(r)}`;
  }
}

const ERROR_CODES: Record<ApiErrorCode, string> = {
  'bad-request': 'the request was malformed',
  'invalid-setting': 'a setting is not valid',
  'unknown-call': 'that call no longer exists',
  'invalid-state': 'that is not possible right now',
  'not-registered': 'you are not registered with a server',
  network: 'the network failed',
  media: 'the audio or video failed',
  security: 'the call could not be secured',
  unavailable: 'this is not available',
  internal: 'Vouch had an internal error',
};

/** "Could not <action>: <reason>." for a failed command or any thrown value. */
export function describeFailure(action: string, e: unknown): string {
  if (e instanceof VouchApiError) {
    const detail = e.message && e.message !== e.code ? e.message : ERROR_CODES[e.code];
    return `Could not ${action}: ${detail}.`;
  }
  if (e instanceof DOMException && (e.name === 'NotAllowedError' || e.name === 'SecurityError')) {
    return `Could not ${action}: permission to use the camera or microphone was denied.`;
  }
  if (e instanceof DOMException && e.name === 'NotFoundError') return `Could not ${action}: no such device was found.`;
  const message = e instanceof Error ? e.message : String(e);
  return `Could not ${action}: ${message || 'unknown error'}.`;
}

export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
