// SIP and SIPS URIs (RFC 3261 §19.1, grammar §25.1): user, password, host (IPv6 references in
// brackets), port, uri-parameters and headers.
import { isHost } from '../../shared/sip-host';
import { SipParseError } from './errors';
import type { SipParams } from './params';

export interface SipUri {
  /** 'other': an absoluteURI of another scheme (http:, urn:, ...), kept whole in `opaque`. */
  scheme: 'sip' | 'sips' | 'tel' | 'other';
  /** The whole URI text of an 'other' scheme URI. */
  opaque?: string;
  user?: string;
  password?: string;
  /** Host as written; IPv6 references keep their brackets ("[::1]"). */
  host: string;
  port?: number;
  params: SipParams;
  headers: Map<string, string>;
}

const MAX_URI = 2048;

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

export { isHost };

export function parseUri(text: string): SipUri | SipParseError {
  const s = text.trim();
  if (s.length > MAX_URI) return new SipParseError('bad-uri', 'URI too long');
  const colon = s.indexOf(':');
  if (colon < 0) return new SipParseError('bad-uri', 'URI without scheme');
  const scheme = s.slice(0, colon).toLowerCase();
  // §25.1 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ): "<sip" is no scheme but a malformed
  // URI (RFC 4475 §3.1.2 class "<> around the Request-URI"), 400 rather than 416.
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) return new SipParseError('bad-uri', 'malformed URI scheme');
  if (scheme !== 'sip' && scheme !== 'sips' && scheme !== 'tel') {
    return new SipParseError('unsupported-scheme', `unsupported URI scheme "${scheme.slice(0, 20)}"`);
  }
  let rest = s.slice(colon + 1);
  const uri: SipUri = { scheme, host: '', params: new Map(), headers: new Map() };
  const q = rest.indexOf('?');
  if (q >= 0) {
    for (const pair of rest.slice(q + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const name = decode(eq < 0 ? pair : pair.slice(0, eq));
      const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
      if (name === undefined || value === undefined) return new SipParseError('bad-uri', 'bad URI header escape');
      uri.headers.set(name, value);
    }
    rest = rest.slice(0, q);
  }
  if (scheme === 'tel') {
    const semi = rest.indexOf(';');
    uri.user = semi < 0 ? rest : rest.slice(0, semi);
    if (!uri.user) return new SipParseError('bad-uri', 'empty tel number');
    if (semi >= 0) parseUriParams(rest.slice(semi), uri.params);
    return uri;
  }
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const pc = userinfo.indexOf(':');
    // §25.1 userinfo: unreserved, escaped and user-unreserved characters (no '@', no spaces).
    if (!/^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]+(:[A-Za-z0-9\-_.!~*'()&=+$,%]*)?$/.test(userinfo)) return new SipParseError('bad-uri', 'bad user part');
    const user = decode(pc < 0 ? userinfo : userinfo.slice(0, pc));
    if (user === undefined || user === '') return new SipParseError('bad-uri', 'bad user part');
    uri.user = user;
    if (pc >= 0) {
      const pw = decode(userinfo.slice(pc + 1));
      if (pw === undefined) return new SipParseError('bad-uri', 'bad password escape');
      uri.password = pw;
    }
  }
  const semi = rest.indexOf(';');
  let hostport = semi < 0 ? rest : rest.slice(0, semi);
  if (semi >= 0 && !parseUriParams(rest.slice(semi), uri.params)) return new SipParseError('bad-uri', 'bad URI parameter');
  let portText: string | undefined;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0) return new SipParseError('bad-uri', 'unterminated IPv6 reference');
    const after = hostport.slice(close + 1);
    if (after && !after.startsWith(':')) return new SipParseError('bad-uri', 'junk after IPv6 reference');
    if (after) portText = after.slice(1);
    hostport = hostport.slice(0, close + 1);
  } else {
    const pc = hostport.indexOf(':');
    if (pc >= 0) {
      portText = hostport.slice(pc + 1);
      hostport = hostport.slice(0, pc);
    }
  }
  if (!isHost(hostport)) return new SipParseError('bad-uri', `bad host "${hostport.slice(0, 64)}"`);
  uri.host = hostport;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return new SipParseError('bad-uri', 'bad port');
    uri.port = Number(portText);
  }
  return uri;
}

/**
 * §25.1 absoluteURI of any scheme (scheme ":" 1*uric, simplified to its characters): From and
 * To may name one (§20.20, §20.39; RFC 4475 §3.1.1 valid-message class). Never routed.
 */
export function parseAbsoluteUri(text: string): SipUri | SipParseError {
  const s = text.trim();
  if (s.length > MAX_URI) return new SipParseError('bad-uri', 'URI too long');
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9;/?:@&=+$,\-_.!~*'()%]+$/.test(s)) return new SipParseError('bad-uri', 'bad absolute URI');
  return { scheme: 'other', opaque: s, host: '', params: new Map(), headers: new Map() };
}

function parseUriParams(s: string, into: SipParams): boolean {
  for (const part of s.split(';')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? null : decode(part.slice(eq + 1));
    if (name === undefined || value === undefined) return false;
    into.set(name.toLowerCase(), value);
  }
  return true;
}

// Characters allowed unescaped in the user part (§25.1 user: unreserved / escaped / user-unreserved).
function escapeUser(s: string): string {
  return s.replace(/[^A-Za-z0-9\-_.!~*'()&=+$,;?/]/g, (c) =>
    Array.from(Buffer.from(c, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

function escapeParam(s: string): string {
  return s.replace(/[^A-Za-z0-9\-_.!~*'()[\]/:&+$]/g, (c) =>
    Array.from(Buffer.from(c, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

export function serializeUri(uri: SipUri): string {
  if (uri.scheme === 'other') return uri.opaque ?? '';
  let out = `${uri.scheme}:`;
  if (uri.scheme === 'tel') out += uri.user ?? '';
  else {
    if (uri.user !== undefined) {
      out += escapeUser(uri.user);
      if (uri.password !== undefined) out += `:${escapeUser(uri.password)}`;
      out += '@';
    }
    out += uri.host;
    if (uri.port !== undefined) out += `:${uri.port}`;
  }
  for (const [k, v] of uri.params) out += v === null ? `;${escapeParam(k)}` : `;${escapeParam(k)}=${escapeParam(v)}`;
  let first = true;
  for (const [k, v] of uri.headers) {
    out += `${first ? '?' : '&'}${escapeParam(k)}=${escapeParam(v)}`;
    first = false;
  }
  return out;
}

/** Host without IPv6 brackets, for sockets. */
export function bareHost(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

/** Host as a URI or Via writes it: IPv6 addresses in brackets (§19.1.1, §25.1 IPv6reference). */
export function uriHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
