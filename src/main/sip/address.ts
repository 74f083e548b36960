// name-addr / addr-spec with header parameters: From, To, Contact, Route, Record-Route
// (RFC 3261 §20.10, §25.1). Without angle brackets, parameters after the URI belong to the header
// (a ";tag" in "From: sip:a@b;tag=1" is the From tag, not a URI parameter).
import { SipParseError } from './errors';
import { endOfQuoted, isGenericParamList, parseParams, quote, serializeParams, unescapeQuoted } from './params';
import type { SipParams } from './params';
import { parseAbsoluteUri, parseUri, serializeUri } from './uri';
import type { SipUri } from './uri';

export interface NameAddr {
  displayName?: string;
  uri: SipUri;
  params: SipParams;
  /** "*" in a Contact (REGISTER removing all bindings, §10.2.2). */
  wildcard?: boolean;
}

export interface NameAddrOptions {
  /** From and To (§20.20, §20.39): any absoluteURI scheme is valid, not only sip/sips/tel. */
  anyScheme?: boolean;
}

export function parseNameAddr(text: string, options: NameAddrOptions = {}): NameAddr | SipParseError {
  const s = text.trim();
  if (s === '*') return { uri: { scheme: 'sip', host: '*', params: new Map(), headers: new Map() }, params: new Map(), wildcard: true };
  let displayName: string | undefined;
  let i = 0;
  if (s[0] === '"') {
    const end = endOfQuoted(s, 0);
    if (end < 0) return new SipParseError('bad-header', 'unterminated display name');
    displayName = unescapeQuoted(s.slice(1, end));
    i = end + 1;
  }
  const lt = s.indexOf('<', i);
  let uriText: string;
  let paramText: string;
  if (lt >= 0) {
    const between = s.slice(i, lt).trim();
    // §25.1 display-name = *(token LWS) / quoted-string: a comma or other separator needs quotes,
    // and so does anything outside ASCII (token is ASCII; a UTF-8 name is sent quoted, TEXT-UTF8).
    if (displayName === undefined && between && !/^[A-Za-z0-9\-.!%*_+`'~]+([ \t]+[A-Za-z0-9\-.!%*_+`'~]+)*$/.test(between)) {
      return new SipParseError('bad-header', 'unquoted display name with separators');
    }
    if (displayName === undefined && between) displayName = between;
    else if (between) return new SipParseError('bad-header', 'junk between display name and <');
    const gt = s.indexOf('>', lt);
    if (gt < 0) return new SipParseError('bad-header', 'unterminated <URI>');
    uriText = s.slice(lt + 1, gt);
    paramText = s.slice(gt + 1).trim();
    if (paramText && paramText[0] !== ';') return new SipParseError('bad-header', 'junk after <URI>');
  } else {
    if (displayName !== undefined) return new SipParseError('bad-header', 'display name without <URI>');
    const semi = s.indexOf(';');
    uriText = semi < 0 ? s : s.slice(0, semi);
    paramText = semi < 0 ? '' : s.slice(semi);
    // An addr-spec containing ',', ';' or '?' must be in brackets (§20): they end the URI here.
    if (uriText.includes('?')) return new SipParseError('bad-header', 'URI with headers must be in <>');
  }
  let uri = parseUri(uriText);
  if (uri instanceof SipParseError && uri.code === 'unsupported-scheme' && options.anyScheme) uri = parseAbsoluteUri(uriText);
  if (uri instanceof SipParseError) return uri;
  // §25.1: header parameters are generic-params (a tag-param is "tag" EQUAL token, so "tag=1\2" is none).
  const params = isGenericParamList(paramText) ? parseParams(paramText) : undefined;
  if (!params) return new SipParseError('bad-header', 'bad header parameters');
  const out: NameAddr = { uri, params };
  if (displayName !== undefined) out.displayName = displayName;
  return out;
}

export function serializeNameAddr(a: NameAddr): string {
  if (a.wildcard) return '*';
  const name = a.displayName !== undefined && a.displayName !== '' ? `${quote(a.displayName)} ` : '';
  return `${name}<${serializeUri(a.uri)}>${serializeParams(a.params)}`;
}

/**
 * The address of record in a name-addr or addr-spec (From, To, a dialled URI): the URI without
 * password, parameters or headers, in one spelling (RFC 3261 §10.3 compares AORs this way), so
 * a peer's identity is keyed the same however its header wrote it. Undefined when it does not parse.
 */
export function addressOfRecord(text: string): string | undefined {
  const a = parseNameAddr(text);
  if (a instanceof SipParseError || a.wildcard) return undefined;
  return serializeUri({ scheme: a.uri.scheme, user: a.uri.user, host: a.uri.host, port: a.uri.port, params: new Map(), headers: new Map() });
}

/** The display name of a name-addr (§20.10), '' when it has none or does not parse. */
export function displayNameOf(text: string): string {
  const a = parseNameAddr(text);
  return a instanceof SipParseError ? '' : (a.displayName ?? '');
}
