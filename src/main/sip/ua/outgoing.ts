// Requests we start outside a dialog (RFC 3261 §8.1.1): the INVITE of a call and OPTIONS or
// MESSAGE, through the outbound proxy as a pre-loaded loose route (§8.1.2) to the servers
// RFC 3263 finds, with failover (routing.ts).
import { SipParseError } from '../errors';
import { SipHeaders } from '../headers';
import type { SipRequest, SipResponse } from '../message';
import { randomToken } from '../random';
import { routeHeader } from '../routing';
import { ALLOW, SipSession } from '../session';
import type { SipBody } from '../session';
import { parseUri } from '../uri';
import type { UaCore } from './core';

/** §8.1.1: the headers every new request carries, Route first when a proxy is configured. */
function newRequestHeaders(ua: UaCore, method: string, target: string, from: string): SipHeaders {
  const proxy = ua.options.outboundProxy;
  const h = new SipHeaders();
  if (proxy) h.add('Route', routeHeader(proxy));
  h.add('Max-Forwards', '70');
  h.add('From', `${from};tag=${randomToken(10)}`);
  h.add('To', `<${target}>`);
  h.add('Call-ID', `${randomToken(20)}@vouch`);
  h.add('CSeq', `1 ${method}`);
  return h;
}

/**
 * Calls `target` ("sip:bob@192.0.2.1:5062" or an AOR the registrar knows); `extraHeaders` such as
 * Replaces (RFC 3891) or Referred-By (RFC 3892) when a transfer places the call.
 */
export function startCall(ua: UaCore, target: string, offer: SipBody, extraHeaders: [string, string][] = []): SipSession {
  const proxy = ua.options.outboundProxy;
  const name = ua.options.displayName ? `"${ua.options.displayName.replace(/["\\]/g, '')}" ` : '';
  const peer = parseUri(proxy ?? target);
  const peerHost = peer instanceof SipParseError ? undefined : peer.host;
  const h = newRequestHeaders(ua, 'INVITE', target, `${name}<${ua.aorFor(peerHost)}>`);
  // Via and Contact follow the transport of each server tried (routing.ts).
  h.add('Contact', ua.contactFor('UDP', peerHost));
  h.add('Allow', ALLOW);
  h.add('User-Agent', ua.userAgent);
  for (const [name, value] of extraHeaders) h.add(name, value);
  h.add('Content-Type', offer.contentType);
  const req: SipRequest = { type: 'request', method: 'INVITE', uri: target, headers: h, body: offer.body };
  const session = SipSession.outgoing(ua, req, proxy ?? target);
  if (session.state !== 'terminated') ua.sessions.add(session);
  return session;
}

/** An OPTIONS or MESSAGE routed as an INVITE is; resolves with the final response. */
export function sendRequest(ua: UaCore, method: 'OPTIONS' | 'MESSAGE', target: string, body?: SipBody): Promise<SipResponse> {
  const h = newRequestHeaders(ua, method, target, `<${ua.aorFor(undefined)}>`);
  h.add('User-Agent', ua.userAgent);
  if (body) h.add('Content-Type', body.contentType);
  const req: SipRequest = { type: 'request', method, uri: target, headers: h, body: body?.body ?? '' };
  let seq = 1;
  return new Promise((resolve) => ua.sendToTargets(req, ua.options.outboundProxy ?? target, (res) => res.status >= 200 && resolve(res), () => ++seq));
}

/**
 * The address of `uri`'s next hop (outbound proxy, else the URI's host, resolved as RFC 3263
 * says), with the local address that reaches it looked up.
 */
export async function nextHopAddress(ua: UaCore, uri: string): Promise<string> {
  const targets = await ua.resolve(ua.options.outboundProxy ?? uri).catch(() => undefined);
  const u = parseUri(uri);
  const host = Array.isArray(targets) && targets.length > 0 ? targets[0].host : u instanceof SipParseError ? '' : u.host;
  await ua.addresses.prime(host);
  return host;
}
