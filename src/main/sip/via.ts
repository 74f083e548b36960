// Via (RFC 3261 §20.42, §18.2.1 received, RFC 3581 rport) and the branch magic cookie (§8.1.1.7).
import { SipParseError } from './errors';
import { isGenericParamList, parseParams, serializeParams } from './params';
import type { SipParams } from './params';
import { randomToken } from './random';
import { isHost } from './uri';

/** Branches that start with it were made by an RFC 3261 element and identify a transaction. */
export const MAGIC_COOKIE = 'z9hG4bK';

export interface Via {
  protocol: string;
  transport: string;
  host: string;
  port?: number;
  params: SipParams;
}

export function parseVia(text: string): Via | SipParseError {
  // §7.3.1: tokens are case-insensitive, so "sip/2.0/udp" is the same protocol (an RFC 4475 §3.1.1 valid class).
  const m = /^\s*SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9-]+)\s+(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?:\s*:\s*(\d{1,5}))?\s*(;.*)?$/is.exec(text);
  if (!m) return new SipParseError('bad-via', `bad Via "${text.slice(0, 80)}"`);
  // §25.1 sent-by = host [ COLON port ]: a hostname, IPv4 address or IPv6 reference.
  if (!isHost(m[2])) return new SipParseError('bad-via', `bad Via sent-by host "${m[2].slice(0, 64)}"`);
  // §25.1 via-params are generic-params: token names, token / host / quoted-string values.
  if (!isGenericParamList(m[4] ?? '')) return new SipParseError('bad-via', 'bad Via parameters');
  const params = parseParams(m[4] ?? '');
  if (!params) return new SipParseError('bad-via', 'bad Via parameters');
  const via: Via = { protocol: 'SIP/2.0', transport: m[1].toUpperCase(), host: m[2], params };
  if (m[3] !== undefined) {
    const port = Number(m[3]);
    if (port > 65535) return new SipParseError('bad-via', 'bad Via port');
    via.port = port;
  }
  return via;
}

export function serializeVia(v: Via): string {
  return `SIP/2.0/${v.transport} ${v.host}${v.port !== undefined ? `:${v.port}` : ''}${serializeParams(v.params)}`;
}

export function newBranch(): string {
  return MAGIC_COOKIE + randomToken(16);
}
