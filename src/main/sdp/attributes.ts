// Typed a= lines. Each parser accepts exactly the text its formatter writes, so a typed attribute
// serializes back to the same bytes; a known attribute that does not fit its grammar stays a
// 'malformed' attribute (kept verbatim, never acted on) instead of failing the whole SDP.
import { connectionHost, formatConnection, parseConnectionFields } from './connection';
import { formatCrypto, parseCrypto } from './crypto-attribute';
import { formatZrtpHash, parseZrtpHash } from './zrtp-hash';
import { isToken, MAX_PAYLOAD_TYPE, MAX_PORT, parseDecimal, splitStrict } from './tokens';
import type { Attribute, Direction } from './types';

export const DIRECTIONS: readonly Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function isDirection(name: string): name is Direction {
  return (DIRECTIONS as readonly string[]).includes(name);
}

// RFC 8866 §6.6: "a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]"
function parseRtpmap(value: string): Attribute | string {
  const fields = splitStrict(value);
  if (!fields || fields.length !== 2) return 'rtpmap needs "<pt> <encoding>/<rate>"';
  const payloadType = parseDecimal(fields[0], MAX_PAYLOAD_TYPE);
  if (payloadType === undefined) return 'bad rtpmap payload type';
  const parts = fields[1].split('/');
  if (parts.length < 2 || parts.length > 3 || !isToken(parts[0])) return 'bad rtpmap encoding';
  const clockRate = parseDecimal(parts[1], 4_294_967_295);
  if (clockRate === undefined || clockRate === 0) return 'bad rtpmap clock rate';
  const attr: Attribute = { kind: 'rtpmap', payloadType, encodingName: parts[0], clockRate };
  if (parts.length === 3) {
    const p = parseDecimal(parts[2], 255);
    if (p === undefined || p === 0) return 'bad rtpmap encoding parameters';
    attr.encodingParameters = p;
  }
  return attr;
}

// RFC 8866 §6.15: "a=fmtp:<format> <format specific parameters>"
function parseFmtp(value: string): Attribute | string {
  const sp = value.indexOf(' ');
  if (sp <= 0 || sp === value.length - 1) return 'fmtp needs "<format> <parameters>"';
  const format = value.slice(0, sp);
  if (!isToken(format)) return 'bad fmtp format';
  return { kind: 'fmtp', format, parameters: value.slice(sp + 1) };
}

// RFC 3605 §2.1: "a=rtcp:" port [nettype space addrtype space connection-address]
function parseRtcp(value: string): Attribute | string {
  const fields = splitStrict(value);
  if (!fields || (fields.length !== 1 && fields.length !== 4)) return 'rtcp needs a port and optionally an address';
  const port = parseDecimal(fields[0], MAX_PORT);
  if (port === undefined) return 'bad rtcp port';
  if (fields.length === 1) return { kind: 'rtcp', port };
  const connection = parseConnectionFields(fields.slice(1));
  if (typeof connection === 'string') return connection;
  if (connectionHost(connection) !== connection.address) return 'rtcp address must be unicast';
  return { kind: 'rtcp', port, connection };
}

// RFC 4585 §4.2: "a=rtcp-fb:" rtcp-fb-pt SP rtcp-fb-val, rtcp-fb-pt = "*" / fmt
function parseRtcpFb(value: string): Attribute | string {
  const first = value.indexOf(' ');
  if (first <= 0) return 'rtcp-fb needs "<pt> <type>"';
  const ptText = value.slice(0, first);
  const payloadType = ptText === '*' ? '*' : parseDecimal(ptText, MAX_PAYLOAD_TYPE);
  if (payloadType === undefined) return 'bad rtcp-fb payload type';
  const rest = value.slice(first + 1);
  const sp = rest.indexOf(' ');
  const type = sp < 0 ? rest : rest.slice(0, sp);
  if (!isToken(type)) return 'bad rtcp-fb type';
  if (sp < 0) return { kind: 'rtcp-fb', payloadType, type };
  const parameters = rest.slice(sp + 1);
  if (parameters.length === 0 || parameters.startsWith(' ')) return 'bad rtcp-fb parameters';
  return { kind: 'rtcp-fb', payloadType, type, parameters };
}

// RFC 5576 §4.1: "a=ssrc:" ssrc-id SP attribute [":" value]
function parseSsrc(value: string): Attribute | string {
  const sp = value.indexOf(' ');
  if (sp <= 0) return 'ssrc needs "<ssrc> <attribute>"';
  const ssrc = parseDecimal(value.slice(0, sp), 4_294_967_295);
  if (ssrc === undefined) return 'bad ssrc';
  const rest = value.slice(sp + 1);
  const colon = rest.indexOf(':');
  const attribute = colon < 0 ? rest : rest.slice(0, colon);
  if (!isToken(attribute)) return 'bad ssrc attribute name';
  return colon < 0 ? { kind: 'ssrc', ssrc, attribute } : { kind: 'ssrc', ssrc, attribute, value: rest.slice(colon + 1) };
}

/** Parses the text after "a=". Returns a reason string only when the attribute name is not a token. */
export function parseAttribute(text: string): Attribute | string {
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const value = colon < 0 ? undefined : text.slice(colon + 1);
  if (!isToken(name)) return 'attribute name is not a token';
  if (isDirection(name) || name === 'rtcp-mux') {
    if (value !== undefined) return { kind: 'malformed', name, value, reason: `${name} takes no value` };
    return name === 'rtcp-mux' ? { kind: 'rtcp-mux' } : { kind: 'direction', direction: name };
  }
  if (value === undefined) return { kind: 'other', name };
  const parsed = parseValue(name, value);
  return typeof parsed === 'string' ? { kind: 'malformed', name, value, reason: parsed } : parsed;
}

/** The typed attribute for a known name, a reason string if its value is malformed. */
function parseValue(name: string, value: string): Attribute | string {
  switch (name) {
    case 'rtpmap':
      return parseRtpmap(value);
    case 'fmtp':
      return parseFmtp(value);
    case 'rtcp':
      return parseRtcp(value);
    case 'rtcp-fb':
      return parseRtcpFb(value);
    case 'zrtp-hash':
      return parseZrtpHash(value);
    case 'crypto':
      return parseCrypto(value);
    case 'ssrc':
      return parseSsrc(value);
    case 'mid':
      return isToken(value) ? { kind: 'mid', id: value } : 'bad mid';
    default:
      return { kind: 'other', name, value };
  }
}

/** The text after "a=" for an attribute. */
export function formatAttribute(attr: Attribute): string {
  switch (attr.kind) {
    case 'rtpmap': {
      const base = `rtpmap:${attr.payloadType} ${attr.encodingName}/${attr.clockRate}`;
      return attr.encodingParameters === undefined ? base : `${base}/${attr.encodingParameters}`;
    }
    case 'fmtp':
      return `fmtp:${attr.format} ${attr.parameters}`;
    case 'rtcp':
      return attr.connection ? `rtcp:${attr.port} ${formatConnection(attr.connection)}` : `rtcp:${attr.port}`;
    case 'rtcp-mux':
      return 'rtcp-mux';
    case 'rtcp-fb':
      return `rtcp-fb:${attr.payloadType} ${attr.type}${attr.parameters === undefined ? '' : ` ${attr.parameters}`}`;
    case 'direction':
      return attr.direction;
    case 'zrtp-hash':
      return `zrtp-hash:${formatZrtpHash(attr)}`;
    case 'crypto':
      return `crypto:${formatCrypto(attr)}`;
    case 'ssrc':
      return `ssrc:${attr.ssrc} ${attr.attribute}${attr.value === undefined ? '' : `:${attr.value}`}`;
    case 'mid':
      return `mid:${attr.id}`;
    case 'other':
      return attr.value === undefined ? attr.name : `${attr.name}:${attr.value}`;
    case 'malformed':
      return `${attr.name}:${attr.value}`;
  }
}
