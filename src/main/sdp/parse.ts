// SDP parser (RFC 8866 §5, §9). Bounded, never throws: returns an SdpError naming the line.
// Structural lines are read leniently (runs of spaces, LF-only line ends, out-of-order session
// lines) as RFC 8866 §5 asks of parsers; attributes keep their exact text (see attributes.ts).
import { parseAttribute } from './attributes';
import { parseConnectionFields } from './connection';
import { err, ok, sdpError, type Result, type SdpError } from './errors';
import {
  MAX_ATTRIBUTES_PER_SECTION,
  MAX_FORMATS_PER_MEDIA,
  MAX_LINE_LENGTH,
  MAX_LINES,
  MAX_MEDIA_DESCRIPTIONS,
  MAX_SDP_LENGTH,
} from './limits';
import { isToken, MAX_PORT, parseDecimal, parseDecimalBig } from './tokens';
import type { Bandwidth, MediaDescription, Origin, SessionDescription, Timing } from './types';

const TIME = /^(0|[1-9][0-9]{0,19})$/;
const PROTO = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+(\/[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+)*$/;

/** Control characters other than TAB, CR and LF never belong in SDP (RFC 8866 §9 `text`). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

function fieldsOf(value: string): string[] {
  const trimmed = value.trim();
  return trimmed.length === 0 ? [] : trimmed.split(/[ \t]+/);
}

function parseOrigin(value: string, line: number): Origin | SdpError {
  const f = fieldsOf(value);
  if (f.length !== 6) return sdpError('bad-origin', line, 'o= needs 6 fields');
  const sessionVersion = parseDecimalBig(f[2]);
  if (!isToken(f[0]) || !/^[0-9]{1,20}$/.test(f[1]) || sessionVersion === undefined) {
    return sdpError('bad-origin', line, 'bad o= username, sess-id or sess-version');
  }
  const c = parseConnectionFields(f.slice(3));
  if (typeof c === 'string') return sdpError('bad-origin', line, c);
  return { username: f[0], sessionId: f[1], sessionVersion, netType: c.netType, addrType: c.addrType, address: c.address };
}

function parseBandwidth(value: string, line: number): Bandwidth | SdpError {
  const colon = value.indexOf(':');
  const type = value.slice(0, colon);
  const amount = parseDecimal(value.slice(colon + 1).trim(), 4_294_967_295);
  if (colon <= 0 || !isToken(type) || amount === undefined) return sdpError('bad-bandwidth', line, 'b= needs <bwtype>:<bandwidth>');
  return { type, value: amount };
}

function parseMediaLine(value: string, line: number): MediaDescription | SdpError {
  const f = fieldsOf(value);
  if (f.length < 4) return sdpError('bad-media', line, 'm= needs media, port, proto and formats');
  if (f.length - 3 > MAX_FORMATS_PER_MEDIA) return sdpError('bad-media', line, 'too many formats');
  const [media, portText, proto, ...formats] = f;
  if (!isToken(media)) return sdpError('bad-media', line, 'bad media type');
  const slash = portText.indexOf('/');
  const port = parseDecimal(slash < 0 ? portText : portText.slice(0, slash), MAX_PORT);
  const portCount = slash < 0 ? undefined : parseDecimal(portText.slice(slash + 1), MAX_PORT);
  if (port === undefined || (slash >= 0 && (portCount === undefined || portCount === 0))) {
    return sdpError('bad-media', line, 'bad m= port');
  }
  if (!PROTO.test(proto)) return sdpError('bad-media', line, 'bad m= proto');
  if (!formats.every(isToken)) return sdpError('bad-media', line, 'bad m= format');
  const m: MediaDescription = { media, port, proto, formats, bandwidths: [], attributes: [] };
  if (portCount !== undefined) m.portCount = portCount;
  return m;
}

function isError(x: object): x is SdpError {
  return 'code' in x && 'line' in x && 'message' in x;
}

/** Splits into lines, checking size, characters and line lengths. */
function splitLines(text: string): string[] | SdpError {
  if (text.length > MAX_SDP_LENGTH) return sdpError('too-large', 0, `SDP over ${MAX_SDP_LENGTH} characters`);
  if (hasControlCharacter(text)) return sdpError('bad-character', 0, 'control character in SDP');
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length > MAX_LINES) return sdpError('too-many-lines', 0, `over ${MAX_LINES} lines`);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].length > MAX_LINE_LENGTH) return sdpError('line-too-long', i + 1, `line over ${MAX_LINE_LENGTH} characters`);
    if (lines[i].includes('\r')) return sdpError('bad-character', i + 1, 'bare CR inside a line');
  }
  return lines;
}

export function parseSdp(text: string): Result<SessionDescription, SdpError> {
  const lines = splitLines(text);
  if (!Array.isArray(lines)) return err(lines);
  if (lines.length === 0 || !lines[0].startsWith('v=')) return err(sdpError('missing-version', 1, 'SDP must start with v='));
  if (lines[0] !== 'v=0') return err(sdpError('bad-version', 1, 'only v=0 exists'));

  let origin: Origin | undefined;
  let sessionName: string | undefined;
  const session: Omit<SessionDescription, 'origin' | 'sessionName'> = {
    emails: [],
    phones: [],
    bandwidths: [],
    timings: [],
    attributes: [],
    media: [],
  };
  let media: MediaDescription | undefined;
  let timing: Timing | undefined;

  for (let i = 1; i < lines.length; i++) {
    const n = i + 1;
    const l = lines[i];
    if (l.length < 2 || l[1] !== '=' || l[0] < 'a' || l[0] > 'z') return err(sdpError('bad-line', n, 'not a <type>=<value> line'));
    const type = l[0];
    const value = l.slice(2);
    const dup = (what: string) => err(sdpError('duplicate-field', n, `second ${what}`));

    if (type === 'm') {
      if (session.media.length >= MAX_MEDIA_DESCRIPTIONS) return err(sdpError('too-many-media', n, `over ${MAX_MEDIA_DESCRIPTIONS} m= lines`));
      const m = parseMediaLine(value, n);
      if (isError(m)) return err(m);
      session.media.push(m);
      media = m;
      continue;
    }
    if (type === 'a') {
      const target = media ? media.attributes : session.attributes;
      if (target.length >= MAX_ATTRIBUTES_PER_SECTION) return err(sdpError('too-many-attributes', n, 'too many a= lines'));
      const a = parseAttribute(value);
      if (typeof a === 'string') return err(sdpError('bad-attribute', n, a));
      target.push(a);
      continue;
    }
    if (type === 'c') {
      const c = parseConnectionFields(fieldsOf(value));
      if (typeof c === 'string') return err(sdpError('bad-connection', n, c));
      if (media) {
        if (media.connection) return dup('c= in this media description');
        media.connection = c;
      } else {
        if (session.connection) return dup('session c=');
        session.connection = c;
      }
      continue;
    }
    if (type === 'b') {
      const b = parseBandwidth(value, n);
      if (isError(b)) return err(b);
      (media ? media.bandwidths : session.bandwidths).push(b);
      continue;
    }
    if (type === 'i') {
      const owner = media ?? session;
      if (owner.information !== undefined) return dup('i=');
      owner.information = value;
      continue;
    }
    if (type === 'k') {
      const owner = media ?? session;
      if (owner.key !== undefined) return dup('k=');
      owner.key = value;
      continue;
    }
    if (media) return err(sdpError('bad-line', n, `${type}= is not allowed in a media description`));
    switch (type) {
      case 'o': {
        if (origin) return dup('o=');
        const o = parseOrigin(value, n);
        if (isError(o)) return err(o);
        origin = o;
        break;
      }
      case 's':
        if (sessionName !== undefined) return dup('s=');
        sessionName = value;
        break;
      case 'u':
        if (session.uri !== undefined) return dup('u=');
        session.uri = value;
        break;
      case 'e':
        session.emails.push(value);
        break;
      case 'p':
        session.phones.push(value);
        break;
      case 't': {
        const f = fieldsOf(value);
        if (f.length !== 2 || !TIME.test(f[0]) || !TIME.test(f[1])) return err(sdpError('bad-timing', n, 't= needs start and stop times'));
        timing = { start: f[0], stop: f[1], repeats: [] };
        session.timings.push(timing);
        break;
      }
      case 'r':
        if (!timing) return err(sdpError('bad-timing', n, 'r= before any t='));
        timing.repeats.push(value);
        break;
      case 'z':
        if (session.timeZones !== undefined) return dup('z=');
        session.timeZones = value;
        break;
      default:
        return err(sdpError('bad-line', n, `unknown line type ${type}=`));
    }
  }

  if (!origin) return err(sdpError('missing-origin', 0, 'no o= line'));
  if (sessionName === undefined) return err(sdpError('missing-session-name', 0, 'no s= line'));
  if (session.timings.length === 0) return err(sdpError('missing-timing', 0, 'no t= line'));
  // RFC 8866 §5.7: a c= line at session level or in every media description.
  const unreachable = session.media.findIndex((m) => m.port !== 0 && !m.connection && !session.connection);
  if (unreachable >= 0) return err(sdpError('missing-connection', 0, `m= line ${unreachable + 1} has no c= and there is no session c=`));
  return ok({ origin, sessionName, ...session });
}
