// What reaches the UA (RFC 3261 §8.2, §12.2.2, §9.2): parse failures answered 400/416, requests
// matched to their session by dialog ID, new INVITEs turned into sessions, CANCELs to theirs,
// and what needs no call answered here (OPTIONS, 481, 482, 420, 405, 501).
import { dialogId } from '../dialog';
import { callIdOf, cseqOf, tagOf } from '../message';
import type { SipRequest, SipResponse } from '../message';
import type { ParseResult } from '../parser';
import { SipParseError } from '../errors';
import { randomToken } from '../random';
import { parseReplaces } from '../replaces';
import { createResponse } from '../response';
import { ACCEPT, ALLOW, OPTION_TAGS, SUPPORTED, MIN_SE, SipSession, sessionIntervalTooSmall } from '../session';
import type { InviteServerTransaction } from '../transaction-server-invite';
import type { ServerTransaction } from '../transactions';
import type { TransportAddress } from '../transport';
import type { UaCore } from './core';

/** §8.2.2.3: the extensions we support; every Require naming another gets 420. */
const OPTION_TAGS_SUPPORTED = new Set<string>(OPTION_TAGS);

/** A message from a transport, parsed or not. */
export function onInbound(ua: UaCore, result: ParseResult, source: TransportAddress): void {
  if (ua.closed) return;
  // A new source: learn which local address reaches it before anything answers it (Contact,
  // SDP). Messages from it wait on the same lookup, so their order holds. Garbage and bursts
  // from many new sources do not wait (they get no Contact worth a lookup).
  if (result.ok && !ua.addresses.has(source.host) && !ua.addresses.busy) {
    void ua.addresses.prime(source.host).then(() => dispatchInbound(ua, result, source));
    return;
  }
  dispatchInbound(ua, result, source);
}

function dispatchInbound(ua: UaCore, result: ParseResult, source: TransportAddress): void {
  if (ua.closed) return;
  try {
    if (!result.ok) {
      // §8.2 / §21.4.1: answer 400 with the reason when the request can be answered.
      if (result.partial && result.partial.method !== 'ACK') {
        ua.stats.badRequests++;
        // §8.2.2.1: a Request-URI scheme we do not know gets 416, anything else malformed 400.
        const res =
          result.error.code === 'unsupported-scheme'
            ? createResponse(result.partial, 416, { headers: [['Accept', 'application/sdp']] })
            : result.error.code === 'bad-version' // §8.2.2.1 / §21.5.6
              ? createResponse(result.partial, 505, { reason: `Version Not Supported (${result.error.message.replace(/[^\x20-\x7e]/g, '?').slice(0, 60)})` })
            : result.error.code === 'too-large'
              ? createResponse(result.partial, 413, { reason: 'Request Entity Too Large' }) // §21.4.11; a stream closes after it
              : createResponse(result.partial, 400, { reason: `Bad Request (${result.error.message.replace(/[^\x20-\x7e]/g, '?').slice(0, 80)})` });
        // Required headers the request lacked stay out of the answer rather than go out empty.
        for (const name of ['From', 'To', 'Call-ID', 'CSeq']) if (res.headers.get(name) === '') res.headers.delete(name);
        // §18.2.2 and RFC 3581: over UDP to the Via's sent-by port unless it asks for rport.
        const via = result.partial.headers.getAll('via')[0] ?? '';
        const rport = /;\s*rport/i.test(via);
        const port = rport || source.protocol !== 'UDP' ? source.port : Number(/:(\d+)/.exec(via.split(';')[0])?.[1] ?? 5060);
        ua.sendStateless(res, { ...source, port });
      } else ua.stats.dropped++;
      return;
    }
    const msg = result.message;
    ua.options.trace?.('in', msg, source);
    if (msg.type === 'response') ua.layer.receiveResponse(msg, source);
    else ua.layer.receiveRequest(msg, source);
  } catch {
    // A bug in handling one message must not take the UA down (ARCHITECTURE.md "Bad input").
    ua.stats.dropped++;
  }
}

/** A 2xx to an INVITE whose transaction has ended (§13.2.2.4): a lost ACK or another fork. */
export function onStrayResponse(ua: UaCore, res: SipResponse): void {
  if (res.status < 200 || res.status >= 300 || cseqOf(res).method !== 'INVITE') return;
  const callId = callIdOf(res);
  const localTag = tagOf(res, 'from');
  for (const s of ua.sessions) if (s.callId === callId && s.matches(localTag, undefined)) return s.stray2xx(res);
}

/** §12.2.2: the session whose dialog ID (Call-ID, To tag ours, From tag theirs) the request carries. */
function findSession(ua: UaCore, req: SipRequest): SipSession | undefined {
  const callId = callIdOf(req);
  const localTag = tagOf(req, 'to');
  const remoteTag = tagOf(req, 'from');
  for (const s of ua.sessions) if (s.callId === callId && s.dialog && s.matches(localTag, remoteTag) && s.dialog.remoteTag === remoteTag) return s;
  return undefined;
}

function callIdInUse(ua: UaCore, callId: string): boolean {
  for (const s of ua.sessions) if (s.callId === callId && s.state !== 'terminated') return true;
  return false;
}

/** A request from the transaction layer; ACKs for 2xx come without a transaction (§17.2.1). */
export function onRequest(ua: UaCore, req: SipRequest, tx: ServerTransaction | undefined, source: TransportAddress): void {
  if (!tx) {
    findSession(ua, req)?.receive(req, undefined);
    return;
  }
  if (req.method === 'CANCEL') return onCancel(ua, req, tx);
  const require = req.headers.getAll('require').flatMap((v) => v.split(',').map((t) => t.trim()));
  const unsupported = require.filter((t) => t && !OPTION_TAGS_SUPPORTED.has(t));
  if (unsupported.length > 0) {
    tx.respond(createResponse(req, 420, { headers: [['Unsupported', unsupported.join(', ')]] }));
    return;
  }
  if (tagOf(req, 'to') !== undefined) {
    const s = findSession(ua, req);
    const remoteSeq = s?.dialog?.remoteSeq;
    // §12.2.2: a request whose CSeq does not advance past the dialog's is out of order (500).
    if (s && remoteSeq !== undefined && cseqOf(req).seq <= remoteSeq) tx.respond(createResponse(req, 500, { reason: 'CSeq Out of Order' }));
    else if (s) s.receive(req, tx);
    // Both ends hung up at once: our BYE ended the session, theirs crossed it (RFC 5407, BYE glare).
    // 481 would tell them the BYE failed; some UAs (linphonec 5.1) then act on a call already freed.
    else if (req.method === 'BYE' && ua.isClosing(dialogId(callIdOf(req), tagOf(req, 'to') ?? '', tagOf(req, 'from') ?? ''))) tx.respond(createResponse(req, 200));
    else tx.respond(createResponse(req, 481)); // §12.2.2
    return;
  }
  // §8.2.2.2: merged from another path; and an INVITE outside any dialog that reuses a live
  // dialog's Call-ID (another From tag, or no To tag) is not a second call (Call-IDs are unique, §8.1.1.4).
  if (ua.layer.isMergedRequest(req, tx) || (req.method === 'INVITE' && callIdInUse(ua, callIdOf(req)))) {
    tx.respond(createResponse(req, 482));
    return;
  }
  switch (req.method) {
    case 'INVITE':
      return onInvite(ua, req, tx as InviteServerTransaction, source);
    case 'OPTIONS':
      // §11.2: what we take, answered outside any dialog.
      tx.respond(
        createResponse(req, 200, {
          toTag: randomToken(10),
          headers: [
            ['Allow', ALLOW],
            ['Accept', ACCEPT],
            ['Accept-Encoding', 'identity'],
            ['Supported', SUPPORTED],
            ['User-Agent', ua.userAgent],
          ],
        }),
      );
      return;
    case 'BYE':
    case 'PRACK': // RFC 3262 §3
    case 'UPDATE': // RFC 3311 §5.2
    case 'NOTIFY': // RFC 6665 §4.1.3
    case 'REFER': // we take REFER within a call only (RFC 3515 §2.4.2 allows that refusal)
      // Methods of Allow that live in a dialog: outside one there is none to act on (§12.2.2).
      tx.respond(createResponse(req, 481));
      return;
    case 'REGISTER':
    case 'MESSAGE':
    case 'SUBSCRIBE':
    case 'INFO':
    case 'PUBLISH':
      // §8.2.1: a method we know but do not take.
      tx.respond(createResponse(req, 405, { headers: [['Allow', ALLOW]] }));
      return;
    default:
      tx.respond(createResponse(req, 501, { headers: [['Allow', ALLOW]] }));
  }
}

function onInvite(ua: UaCore, req: SipRequest, tx: InviteServerTransaction, source: TransportAddress): void {
  if (ua.closing) {
    tx.respond(createResponse(req, 480, { toTag: randomToken(10), reason: 'Temporarily Unavailable (shutting down)' }));
    return;
  }
  // RFC 3891 §3: an INVITE naming a dialog to replace is matched before call waiting applies.
  const replaces = replacedSession(ua, req);
  if (typeof replaces === 'number') {
    tx.respond(createResponse(req, replaces, { toTag: randomToken(10) }));
    return;
  }
  if (!replaces && !ua.options.callWaiting && ua.sessions.size > 0) {
    tx.respond(createResponse(req, 486, { toTag: randomToken(10) }));
    return;
  }
  // RFC 4028 §8.1: a Session-Expires below our Min-SE is refused with the Min-SE we take.
  if (sessionIntervalTooSmall(req)) {
    tx.respond(createResponse(req, 422, { toTag: randomToken(10), headers: [['Min-SE', String(MIN_SE)]] }));
    return;
  }
  const session = SipSession.incoming(ua, req, tx, source);
  session.replaces = replaces;
  ua.sessions.add(session);
  ua.events.emit('incoming', session);
  // §17.2.1: a 100 Trying when the call layer did not answer at once.
  if (tx.state === 'proceeding' && !tx.lastResponse) tx.respond(createResponse(req, 100));
}

/**
 * RFC 3891 §3: the session a Replaces header names (to-tag ours, from-tag theirs), undefined
 * without one, or the status refusing it: 400 malformed, 481 no such dialog (or an early one we
 * did not start), 486 a confirmed one with early-only, 603 one already ended.
 */
function replacedSession(ua: UaCore, req: SipRequest): SipSession | number | undefined {
  const values = req.headers.getAll('replaces');
  if (values.length === 0) return undefined;
  if (values.length > 1) return 400;
  const r = parseReplaces(values[0]);
  if (r instanceof SipParseError) return 400;
  for (const s of ua.sessions) {
    const d = s.dialog;
    if (s.callId !== r.callId || !d || d.localTag !== r.toTag || d.remoteTag !== r.fromTag) continue;
    if (s.state === 'terminated') return 603;
    if (s.state !== 'established') return s.direction === 'incoming' ? 481 : 486;
    return r.earlyOnly ? 486 : s;
  }
  return 481;
}

/** §9.2: CANCEL matches the INVITE's server transaction; 200 to it, 487 to the INVITE. */
function onCancel(ua: UaCore, req: SipRequest, tx: ServerTransaction): void {
  const invite = ua.layer.findInviteServer(req);
  if (!invite || invite.state !== 'proceeding') {
    tx.respond(createResponse(req, 481));
    return;
  }
  tx.respond(createResponse(req, 200));
  const callId = callIdOf(req);
  const fromTag = tagOf(req, 'from');
  for (const s of ua.sessions) {
    if (s.callId === callId && tagOf(invite.request, 'from') === fromTag) {
      s.cancelled(invite);
      return;
    }
  }
  invite.respond(createResponse(invite.request, 487, { toTag: randomToken(10) }));
}
