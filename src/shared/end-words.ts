// Why a call ended, in words a person understands without a manual: one text for every front end
// (the app's dialer and the CLI's `state` line say the same).
import type { CallInfo, EndReason } from './api';

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
  transferred: 'The call was transferred.',
  failed: 'The call failed.',
};

/**
 * The reason Vouch gives a 401/407 it refused to answer because the challenger is not the
 * account's own server (src/main/sip/own-server.ts gives it as NOT_OWN_SERVER). A
 * sentence of Vouch's, so it is said as it is, not as a status from the other side.
 */
export const OWN_SERVER_REFUSAL = 'The other side asked for your password; Vouch only gives it to your own server';

/** The host part of a SIP URI ("sip:bob@192.0.2.7:5060" → "192.0.2.7"), for sentences. */
function hostOf(uri: string): string {
  const m = /^sips?:(?:[^@]*@)?(\[[^\]]+\]|[^:;>]+)/i.exec(uri);
  return m ? m[1] : uri;
}

/**
 * Why a call ended. `direct`: no server in the path (direct-IP mode), so a status is the other
 * computer's and a timeout means it never answered. Protocol internals ("Timer B") stay out.
 */
export function describeEnd(call: CallInfo, direct = false): string {
  const reason = END_REASONS[call.endReason ?? 'failed'];
  if (!call.sipStatus || call.endReason === 'local-hangup' || call.endReason === 'remote-hangup') return reason;
  if ((call.sipStatus === 401 || call.sipStatus === 407) && call.sipReason === OWN_SERVER_REFUSAL) return `${OWN_SERVER_REFUSAL}.`;
  if (direct && call.sipStatus === 408) return `No answer from ${hostOf(call.remoteUri)}: the other computer may be off or not reachable.`;
  const phrase = (call.sipReason ?? '').replace(/\s*\(Timer [A-K]\)/g, '');
  const status = `${call.sipStatus}${phrase ? ` ${phrase}` : ''}`;
  return direct ? `${reason} (${status})` : `${reason} (${status} from the server)`;
}

/** Who the other side is, for a sentence: the name they gave, else the user part, else the host. */
export function personOf(call: Pick<CallInfo, 'remoteName' | 'remoteUri'>): string {
  if (call.remoteName) return call.remoteName;
  const m = /^sips?:([^@;:>]+)@/i.exec(call.remoteUri.replace(/^.*</, ''));
  if (m) return m[1].charAt(0).toUpperCase() + m[1].slice(1);
  return hostOf(call.remoteUri);
}

/**
 * Why a call ended, in a person's words ("Bob's phone didn't answer"), and the technical detail
 * for a "Details" disclosure (the SIP status and who sent it). `direct`: no server in the path, so
 * a status came from the other computer, and a timeout means their phone never answered.
 */
export function endWords(call: CallInfo, direct = false): { text: string; detail: string } {
  const who = personOf(call);
  const status = call.sipStatus ? `${call.sipStatus}${call.sipReason ? ` ${call.sipReason}` : ''}` : '';
  const from = direct ? `from ${hostOf(call.remoteUri)} (a direct call, no server)` : 'from the server';
  const detail = [status && `SIP ${status} ${from}`, `end reason: ${call.endReason ?? 'failed'}`].filter(Boolean).join('; ');
  if ((call.sipStatus === 401 || call.sipStatus === 407) && call.sipReason === OWN_SERVER_REFUSAL) return { text: `${OWN_SERVER_REFUSAL}.`, detail };
  const text = ((): string => {
    switch (call.endReason ?? 'failed') {
      case 'local-hangup':
        return 'You hung up.';
      case 'remote-hangup':
        return `${who} hung up.`;
      case 'rejected':
        return call.direction === 'incoming' ? 'You declined the call.' : `${who} declined the call.`;
      case 'busy':
        return `${who} is busy.`;
      case 'cancelled':
        return call.direction === 'incoming' ? `${who} hung up before you answered.` : 'You cancelled the call.';
      case 'not-found':
        return 'Nobody is reachable at that address.';
      case 'timeout':
        return direct ? `${who}'s phone didn't answer. It may be off, or not reachable from here.` : `${who} didn't answer.`;
      case 'connection-lost':
        return `The connection to ${who} was lost.`;
      default:
        return END_REASONS[call.endReason ?? 'failed'];
    }
  })();
  return { text, detail };
}
