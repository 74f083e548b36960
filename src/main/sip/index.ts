// Public surface of the SIP stack (RFC 3261 and friends). The call layer uses it like this:
//
//   const ua = await SipUa.start({ user: 'alice', host: '127.0.0.1', udp: { port: 5060 },
//     registrar: 'sip:pbx.example;transport=tls', password: '...', tls: { port: 0, ca } });
//
//   // Outgoing: returns at once; `answered` resolves with the answer body on 2xx and rejects
//   // with SipStatusError(status) on failure (408 on timeout, 487 after bye()/CANCEL).
//   const s = ua.invite('sip:bob@192.0.2.7:5062', { contentType: 'application/sdp', body: offer });
//   s.on('progress', (status, earlyBody?) => ...);        // 180 / 183
//   const answer = await s.answered;
//
//   // Incoming: 'incoming' fires with the offer in `session.remoteBody`; answer within the
//   // handler to skip the 100 Trying, or later: progress(180|183, body?), accept(answer),
//   // reject(486|488|603...).
//   ua.on('incoming', (s: SipSession) => s.accept({ contentType: 'application/sdp', body }));
//
//   // Re-INVITE: s.reinvite(offer) resolves with the answer (glare retried per §14.1) or
//   // rejects with SipStatusError; the remote side's offers go to s.onReinvite(offer), which
//   // returns (or resolves to) { answer } or { reject: 488 } — the security-policy hook.
//   // Without a hook every re-INVITE is refused with 488.
//
//   // Ending: s.bye() CANCELs, declines (603) or sends BYE as the state requires;
//   // s.ended resolves with { by: 'local'|'remote', status?, reason }; events 'state',
//   // 'established', 'reinvited' (offer, answer), 'reinviteRejected', 'ack', 'ended'.
//
//   // Transfer (RFC 3515, RFC 3891): s.refer(formatReferTo(uri, replaces?)) resolves on 202,
//   // then 'referProgress' ({ status, reason, final }) per NOTIFY; a REFER received is 'refer'
//   // ({ target, replaces? }), answered with s.notifyRefer(status, reason). An incoming INVITE
//   // whose Replaces names one of our confirmed dialogs has `session.replaces` set to it.
//
//   await ua.close(); // BYE every call, unregister, close the transports
//
// The UA answers OPTIONS, sends 481 for unknown dialogs, 482 for merged requests, 486 when a
// call is up and call waiting is off, 420 for a Require it does not support, 416 for an unknown
// Request-URI scheme and 400 (with the reason) for malformed requests; `ua.stats` counts what it
// answered that way and what it had to drop. A transport failure (refused connection, rejected
// TLS certificate) fails the request at once with 503 and the cause in the reason phrase.
// Registration: `registrar` + `password` in the options register before start() resolves,
// refresh at half the granted interval (423 Min-Expires honoured), retry every 30 s after a
// failure (event 'registrationFailed' on the UA), unregister in close(). `trace` sees every
// message in and out. Timers (T1, T2, T4, Timer D) and the clock are injectable for tests.
export { SipUa } from './ua';
export type { SipUaOptions, SipUaStats } from './ua';
export { SipSession } from './session';
export type { SipBody, ReinviteDecision, SessionEnd, SessionState } from './session';
export { SipParseError, SipStatusError } from './errors';
export type { SipParseErrorCode } from './errors';
export { DEFAULT_TIMERS, ManualScheduler } from './timers';
export type { Scheduler, SipTimers } from './timers';
export type { TlsSettings } from './transport-tls';
export type { TransportProtocol } from './transport';
export { parseMessage } from './parser';
export type { ParseResult } from './parser';
export { serializeMessage } from './serializer';
export type { SipMessage, SipRequest, SipResponse } from './message';
export { SipHeaders } from './headers';
export { parseUri, serializeUri } from './uri';
export type { SipUri } from './uri';
