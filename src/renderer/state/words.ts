// What the app says: call states, end reasons and command failures in words a person understands
// without a manual (signing in to the server: registration-words.ts).
import type { ApiErrorCode, CallInfo, ListeningInfo, SecurityInfo } from '../../shared/api';
import { VouchApiError } from '../../shared/api';

export { describeEnd } from '../../shared/end-words';

/** "Your address: sip:alice@192.168.1.23:5062", and what peers cannot reach (no TLS listener). */
export function describeListening(l: ListeningInfo): string {
  const where =
    l.addresses.length === 0
      ? 'Not reachable from other computers (no network address)'
      : `Your address${l.addresses.length > 1 ? 'es' : ''}: ${l.addresses.join(', ')}`;
  return [where, ...l.notes.map((n) => n.charAt(0).toUpperCase() + n.slice(1))].join('. ') + '.';
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

const ERROR_CODES: Record<ApiErrorCode, string> = {
  'bad-request': 'the request was malformed',
  'invalid-setting': 'a setting is not valid',
  'unknown-call': 'that call no longer exists',
  'invalid-state': 'that is not possible right now',
  'not-registered': 'you are not signed in to a server',
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
  // A device chosen earlier and unplugged since: getUserMedia's exact deviceId finds nothing.
  if (e instanceof DOMException && e.name === 'OverconstrainedError') return `Could not ${action}: that device is no longer connected.`;
  if (e instanceof DOMException && e.name === 'NotReadableError') return `Could not ${action}: another app may be using the device, or it stopped working.`;
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
