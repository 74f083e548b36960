// Transfer inside a dialog (RFC 3515, libre's sipsess/ + sipevent refer handling): REFER sent
// and received, and the implicit "refer" subscription's NOTIFYs carrying message/sipfrag progress
// (§2.4.4-§2.4.5). The new call a REFER asks for is the call layer's business.
import { SipStatusError } from '../errors';
import type { SipRequest } from '../message';
import { parseReferTo, sipfragStatus, type ReferTarget } from '../replaces';
import { createResponse } from '../response';
import type { NonInviteServerTransaction } from '../transaction-server-non-invite';
import { noop } from './core';
import type { SessionCore } from './core';

/** What a REFER sent by us learns from the transferee's NOTIFYs. */
export interface ReferProgress {
  status: number;
  reason: string;
  /** Subscription-State: terminated (§2.4.7): no more NOTIFYs for this REFER. */
  final: boolean;
}

/** How long the implicit subscription lasts unless a final NOTIFY ends it sooner (§2.4.6). */
const REFER_SUBSCRIPTION_SECONDS = 60;

/** Sends an in-dialog request built by `fill`; resolves with the final response's status. */
function sendInDialog(s: SessionCore, method: string, fill: (req: SipRequest) => void): Promise<number> {
  const d = s.dialog;
  if (!d || s.state !== 'established') return Promise.reject(new Error(`cannot send ${method} in state ${s.state}`));
  const req = d.createRequest(method);
  fill(req);
  req.headers.add('User-Agent', s.ua.userAgent);
  return new Promise((resolve, reject) => {
    const tx = s.sendWithinDialog(d, req, (res) => res.status >= 200 && resolve(res.status));
    if (!tx) reject(new SipStatusError(503, 'No transport for the destination'));
  });
}

/**
 * §2.4.1: asks the peer to call `referTo` (a Refer-To value, possibly with Replaces). Resolves
 * when the REFER is accepted (2xx); rejects with SipStatusError when refused.
 */
export async function sendRefer(s: SessionCore, referTo: string): Promise<void> {
  const status = await sendInDialog(s, 'REFER', (req) => {
    req.headers.add('Refer-To', referTo);
    // RFC 3892: who asks; our side of the dialog (From without its tag).
    if (s.dialog) req.headers.add('Referred-By', s.dialog.localAddress);
    req.headers.add('Contact', s.ua.contactFor(s.dest.protocol, s.dest.host));
  });
  if (status >= 300) throw new SipStatusError(status, 'REFER refused');
}

/**
 * §2.4.2: a REFER in our dialog. A usable Refer-To is accepted with 202 and reported as 'refer'
 * (ReferTarget); the first NOTIFY says "100 Trying" at once (§2.4.4).
 */
export function receiveRefer(s: SessionCore, req: SipRequest, tx: NonInviteServerTransaction): void {
  const values = req.headers.getAll('refer-to');
  // §2.4.1: exactly one Refer-To.
  if (values.length !== 1) {
    tx.respond(createResponse(req, 400, { reason: values.length === 0 ? 'Missing Refer-To' : 'More than one Refer-To' }));
    return;
  }
  const target = parseReferTo(values[0]);
  if (target instanceof Error) {
    tx.respond(createResponse(req, 400, { reason: `Bad Refer-To (${target.message})` }));
    return;
  }
  if (s.session.listenerCount('refer') === 0) {
    tx.respond(createResponse(req, 603, { reason: 'Decline (transfer not taken)' }));
    return;
  }
  tx.respond(createResponse(req, 202, { headers: [['Contact', s.ua.contactFor(s.dest.protocol, s.dest.host)]] }));
  notifyRefer(s, 100, 'Trying');
  s.emit('refer', target satisfies ReferTarget);
}

/**
 * §2.4.4: a NOTIFY with the new call's status as message/sipfrag; a final status (≥ 200) ends
 * the implicit subscription (§2.4.7: Subscription-State terminated).
 */
export function notifyRefer(s: SessionCore, status: number, reason: string): void {
  const final = status >= 200;
  void sendInDialog(s, 'NOTIFY', (req) => {
    req.headers.add('Event', 'refer');
    req.headers.add('Subscription-State', final ? 'terminated;reason=noresource' : `active;expires=${REFER_SUBSCRIPTION_SECONDS}`);
    req.headers.add('Contact', s.ua.contactFor(s.dest.protocol, s.dest.host));
    req.headers.add('Content-Type', 'message/sipfrag;version=2.0');
    req.body = `SIP/2.0 ${status} ${reason.replace(/[\r\n]/g, ' ')}\r\n`;
  }).catch(noop);
}

/** §2.4.5: a NOTIFY for our REFER: 200, and its sipfrag status reported as 'referProgress'. */
export function receiveNotify(s: SessionCore, req: SipRequest, tx: NonInviteServerTransaction): void {
  const event = (req.headers.get('event') ?? '').split(';')[0].trim().toLowerCase();
  if (event !== 'refer') {
    // RFC 6665 §4.1.3: an event package we did not subscribe to.
    tx.respond(createResponse(req, 489));
    return;
  }
  const frag = sipfragStatus(req.body);
  tx.respond(createResponse(req, frag ? 200 : 400, frag ? {} : { reason: 'Bad Request (no sipfrag status line)' }));
  if (!frag) return;
  const final = /^\s*terminated/i.test(req.headers.get('subscription-state') ?? '') || frag.status >= 200;
  s.emit('referProgress', { ...frag, final } satisfies ReferProgress);
}
