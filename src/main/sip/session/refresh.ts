// RFC 4028 §7.4/§10: the refresher's refresh, an UPDATE without a body when the peer allows
// UPDATE (RFC 3311), else a re-INVITE repeating our last SDP unchanged (RFC 3264 §8); and the
// BYE when the session expired unrefreshed.
import { SipStatusError } from '../errors';
import { sendBye } from './close';
import type { SessionCore } from './core';
import { modify } from './modify';
import { runSessionTimer, uacTimer } from './timer';
import { sendUpdate } from './update';

export function refreshSession(s: SessionCore): void {
  if (s.state !== 'established') return;
  const allowsUpdate = s.remoteAllow.toUpperCase().split(',').map((m) => m.trim()).includes('UPDATE');
  if (allowsUpdate || !s.localBody) {
    sendUpdate(s).then(
      (res) => runSessionTimer(s, uacTimer(res)),
      (e: unknown) => {
        // §12.2.1.2 (RFC 3261): 481 and 408 end the dialog; other refusals leave the expiry to end it.
        if (e instanceof SipStatusError && (e.status === 481 || e.status === 408)) s.finish({ by: 'remote', status: e.status, reason: e.reason });
      },
    );
  } else {
    // modify() applies the 2xx's Session-Expires itself.
    modify(s, s.localBody).catch(() => undefined);
  }
}

/** §10: no refresh came before the session expired: BYE, and the call ends. */
export function expireSession(s: SessionCore): void {
  if (s.state !== 'established') return;
  sendBye(s);
  s.finish({ by: 'local', reason: 'session timer expired' });
}
