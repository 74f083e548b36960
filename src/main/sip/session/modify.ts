// A re-INVITE from us (RFC 3261 §14.1, libre's sipsess/modify.c): a new offer in the dialog;
// a 491 (glare) retries after the §14.1 delay, a 481 or 408 ends the dialog (§12.2.1.2), other
// refusals leave the call as it was.
import { SipStatusError } from '../errors';
import type { SessionCore } from './core';
import { requestTimerHeaders, runSessionTimer, uacTimer } from './timer';
import { ALLOW, SUPPORTED } from './types';
import type { SipBody } from './types';

/** Sends a re-INVITE with `offer` and resolves with the answer. */
export function modify(s: SessionCore, offer: SipBody): Promise<SipBody> {
  return new Promise((resolve, reject) => {
    let attempts = 0;
    const attempt = (): void => {
      if (s.state !== 'established' || !s.dialog) return reject(new Error(`cannot re-INVITE in state ${s.state}`));
      // §14.1: our 2xx still awaits its ACK, so that INVITE transaction is in progress: wait for it.
      if (s.retransmit2xx) {
        let waited = false;
        const go = (): void => {
          if (waited) return;
          waited = true;
          s.session.off('ack', go);
          attempt();
        };
        s.session.on('ack', go);
        void s.ended.then(go);
        return;
      }
      if (s.outgoingReinvite || s.incomingReinvite) return reject(new SipStatusError(491, 'Request Pending'));
      s.outgoingReinvite = true;
      const d = s.dialog;
      const req = d.createRequest('INVITE');
      req.headers.add('Contact', s.ua.contactFor(s.dest.protocol, s.dest.host));
      req.headers.add('Allow', ALLOW);
      // RFC 4028 §7.4: every re-INVITE is also a session refresh.
      req.headers.add('Supported', SUPPORTED);
      for (const [n, v] of requestTimerHeaders(s)) req.headers.add(n, v);
      req.headers.add('User-Agent', s.ua.userAgent);
      req.headers.add('Content-Type', offer.contentType);
      req.body = offer.body;
      const tx = s.sendWithinDialog(d, req, (res) => {
        if (res.status < 200) return;
        s.outgoingReinvite = false;
        if (res.status < 300) {
          if (s.state === 'terminated') return;
          d.refreshTarget(res);
          s.sendAck(res);
          s.localBody = offer;
          runSessionTimer(s, uacTimer(res));
          const answer = { contentType: res.headers.get('content-type') ?? '', body: res.body };
          s.emit('reinvited', offer, answer);
          resolve(answer);
        } else if (res.status === 491 && attempts++ < 5) {
          s.ua.scheduler.set(s.ua.glareDelay(s.direction === 'outgoing'), attempt);
        } else {
          if (res.status === 481 || res.status === 408) s.finish({ by: 'remote', status: res.status, reason: res.reason });
          reject(new SipStatusError(res.status, res.reason));
        }
      });
      if (!tx) {
        s.outgoingReinvite = false;
        reject(new SipStatusError(503, 'No transport for the destination'));
      }
    };
    attempt();
  });
}
