// The SIP message model (RFC 3261 §7). Bodies are opaque strings with a content type: SDP is
// parsed elsewhere (src/main/sdp).
import { parseNameAddr } from './address';
import type { NameAddr } from './address';
import { SipParseError } from './errors';
import { SipHeaders } from './headers';
import { parseVia } from './via';
import type { Via } from './via';

export interface SipRequest {
  readonly type: 'request';
  method: string;
  uri: string;
  headers: SipHeaders;
  body: string;
}

export interface SipResponse {
  readonly type: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: string;
}

export type SipMessage = SipRequest | SipResponse;

export interface CSeq {
  seq: number;
  method: string;
}

/**
 * §8.1.1.5: the sequence number is a 32-bit unsigned integer less than 2**31; §25.1 1*DIGIT
 * allows leading zeros (an RFC 4475 §3.1.1 valid class).
 */
export function parseCSeq(value: string | undefined): CSeq | SipParseError {
  const m = value === undefined ? null : /^\s*0*(\d{1,10})\s+([A-Za-z0-9.!%*_+`'~-]+)\s*$/.exec(value);
  if (!m) return new SipParseError('bad-cseq', 'bad CSeq');
  const seq = Number(m[1]);
  if (seq >= 2 ** 31) return new SipParseError('bad-cseq', 'CSeq number out of range');
  return { seq, method: m[2] };
}

export function cseqOf(msg: SipMessage): CSeq {
  const c = parseCSeq(msg.headers.get('cseq'));
  return c instanceof SipParseError ? { seq: 0, method: '' } : c;
}

/** Top Via; the parser guarantees it exists and parses on every accepted message. */
export function topVia(msg: SipMessage): Via | undefined {
  const v = msg.headers.getAll('via')[0];
  if (v === undefined) return undefined;
  const via = parseVia(v);
  return via instanceof SipParseError ? undefined : via;
}

export function addressOf(msg: SipMessage, header: 'from' | 'to' | 'contact'): NameAddr | undefined {
  const v = header === 'contact' ? msg.headers.getAll('contact')[0] : msg.headers.get(header);
  if (v === undefined) return undefined;
  // §20.20, §20.39: From and To may carry any absoluteURI; a Contact must be one we can reach.
  const a = parseNameAddr(v, { anyScheme: header !== 'contact' });
  return a instanceof SipParseError ? undefined : a;
}

export function tagOf(msg: SipMessage, header: 'from' | 'to'): string | undefined {
  return addressOf(msg, header)?.params.get('tag') ?? undefined;
}

export function callIdOf(msg: SipMessage): string {
  return msg.headers.get('call-id') ?? '';
}

export function request(method: string, uri: string, headers: SipHeaders = new SipHeaders(), body = ''): SipRequest {
  return { type: 'request', method, uri, headers, body };
}

/** Default reason phrases (RFC 3261 §21 and the codes Vouch sends). */
export const REASONS: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'Version Not Supported',
  603: 'Decline',
};
