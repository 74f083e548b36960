// Parses SIP messages (RFC 3261 §7, grammar §25) from datagrams or framed stream chunks.
// Never throws: malformed input gives a SipParseError, with the partially parsed request when
// enough of it survived to answer 400 (§8.2, §16.3 needs Via, From, To, Call-ID, CSeq).
import { parseNameAddr } from './address';
import { SipParseError } from './errors';
import { canonicalName, SipHeaders } from './headers';
import { parseCSeq } from './message';
import type { SipMessage, SipRequest } from './message';
import { parseUri } from './uri';
import { parseVia } from './via';

export interface ParseLimits {
  /** Largest message accepted, headers and body (UDP's 65507-byte payload by default). */
  maxMessageBytes: number;
  maxHeaders: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxMessageBytes: 65507, maxHeaders: 256 };

export type ParseResult = { ok: true; message: SipMessage } | { ok: false; error: SipParseError; partial?: SipRequest };

const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;
/**
 * Any control character but HTAB (§25.1: CTLs are not TEXT-UTF8; a bare CR or LF is one),
 * except inside a quoted-string where a quoted-pair may escape any of them but CR and LF
 * (§25.1 quoted-pair = "\\" (%x00-09 / %x0B-0C / %x0E-7F)).
 */
function hasCtl(s: string): boolean {
  let inQuote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inQuote && c === 0x5c && i + 1 < s.length) {
      const n = s.charCodeAt(++i);
      if (n === 0x0a || n === 0x0d) return true;
      continue;
    }
    if (c === 0x22) inQuote = !inQuote;
    else if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}
const REQUIRED = ['via', 'from', 'to', 'call-id', 'cseq'] as const;
/** §7.3.1, §20: headers whose grammar allows one value; a second one makes the message invalid. */
const SINGLE_VALUED = ['call-id', 'cseq', 'from', 'to', 'max-forwards', 'content-length', 'content-type'] as const;
/** §25.1 callid = word [ "@" word ]. */
const CALL_ID = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+(@[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+)?$/;
/** Decimal digits with any leading zeros (§25.1 1*DIGIT), as a number, when at most `max`. */
function digits(text: string, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const significant = text.replace(/^0+(?=\d)/, '');
  if (significant.length > 15) return undefined;
  const n = Number(significant);
  return n <= max ? n : undefined;
}

function fail(error: SipParseError, message?: SipMessage): ParseResult {
  const partial = message?.type === 'request' ? answerable(message) : undefined;
  return partial ? { ok: false, error, partial } : { ok: false, error };
}

/**
 * Offset of the blank line ending the header section and the length of that terminator: the
 * header section ends in CRLF CRLF (§7, §7.5). A bare LF there is not a blank line — taking
 * "CRLF LF" or "LF LF" as the end would turn the headers after it into a body the grammar
 * rejects (the fuzzer's find): such a line stays in the header section and is refused as malformed.
 */
export function findHeaderEnd(buf: Uint8Array, from = 0): { end: number; sep: number } | undefined {
  for (let i = Math.max(from, 1); i < buf.length - 2; i++) {
    if (buf[i] === 0x0a && buf[i - 1] === 0x0d && buf[i + 1] === 0x0d && buf[i + 2] === 0x0a) return { end: i, sep: 3 };
  }
  return undefined;
}

/** Parses one whole message (a UDP datagram, or a stream chunk the framer cut out). */
export function parseMessage(data: Uint8Array | string, limits: ParseLimits = DEFAULT_LIMITS): ParseResult {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length > limits.maxMessageBytes) return fail(new SipParseError('too-large', 'message too large'));
  let start = 0;
  // §7.5: CRLFs before the start line are ignored.
  while (start < buf.length && (buf[start] === 0x0d || buf[start] === 0x0a)) start++;
  const he = findHeaderEnd(buf, start);
  let headerText: string;
  let bodyStart: number;
  if (he) {
    // he.end is the LF of the last header line's CRLF: leave its CR out too.
    headerText = buf.toString('utf8', start, he.end > start && buf[he.end - 1] === 0x0d ? he.end - 1 : he.end);
    bodyStart = he.end + he.sep;
  } else {
    headerText = buf.toString('utf8', start);
    bodyStart = buf.length;
  }
  // §7: lines end in CRLF. A bare CR or LF, or any other control character but HTAB, inside the
  // header section makes the line malformed (§25.1 TEXT-UTF8 excludes CTLs).
  const lines = headerText.split('\r\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const startLine = lines[0] ?? '';
  const headers = new SipHeaders();
  let count = 0;
  let badHeader: SipParseError | undefined;
  for (let i = 1; i < lines.length; i++) {
    let line = lines[i];
    // §7.3.1 header folding: a line starting with whitespace continues the previous one.
    while (i + 1 < lines.length && (lines[i + 1].startsWith(' ') || lines[i + 1].startsWith('\t'))) {
      line += ` ${lines[++i].trim()}`;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    if (!TOKEN.test(name) || hasCtl(line)) {
      badHeader ??= new SipParseError('bad-header', `malformed header line "${line.slice(0, 40)}"`);
      continue;
    }
    if (++count > limits.maxHeaders) return fail(new SipParseError('too-many-headers', 'too many headers'));
    headers.add(name, line.slice(colon + 1).trim());
  }

  let message: SipMessage;
  const statusMatch = hasCtl(startLine) ? null : /^SIP\/(\d+\.\d+) (\d{3}) ?(.*)$/.exec(startLine);
  if (statusMatch) {
    if (statusMatch[1] !== '2.0') return fail(new SipParseError('bad-version', 'unsupported SIP version'));
    const status = Number(statusMatch[2]);
    if (status < 100 || status > 699) return fail(new SipParseError('bad-start-line', 'status code out of range'));
    message = { type: 'response', status, reason: statusMatch[3], headers, body: '' };
  } else {
    const parts = startLine.split(' ');
    if (parts.length !== 3 || !TOKEN.test(parts[0]) || !parts[1] || hasCtl(startLine)) {
      const error = new SipParseError('bad-start-line', `malformed start line "${startLine.slice(0, 60).replace(/[^\x20-\x7e]/g, '?')}"`);
      // A method, something and a SIP version (extra spaces, LWS inside the URI: RFC 4475
      // §3.1.2 classes) is still a request whose Via can carry a 400 back: never silence.
      const loose = hasCtl(startLine) ? null : /^(\S+) +(.+?) +SIP\/\d+\.\d+[ \t]*$/i.exec(startLine);
      const looseRequest: SipMessage | undefined = loose && TOKEN.test(loose[1]) ? { type: 'request', method: loose[1], uri: loose[2], headers, body: '' } : undefined;
      return fail(error, looseRequest);
    }
    message = { type: 'request', method: parts[0], uri: parts[1], headers, body: '' };
    if (!/^SIP\/2\.0$/i.test(parts[2])) {
      return fail(new SipParseError('bad-version', `unsupported version "${parts[2].slice(0, 20)}"`), message);
    }
  }
  const partial = message;
  if (badHeader) return fail(badHeader, partial);
  for (const h of SINGLE_VALUED) {
    if (headers.list.filter((e) => e.key === h).length > 1) {
      return fail(new SipParseError('duplicate-header', `more than one ${canonicalName(h)} header`), partial);
    }
  }

  // §18.3: on a datagram, Content-Length (when present) says how much of the rest is body.
  const clText = headers.get('content-length');
  let bodyEnd = buf.length;
  if (clText !== undefined) {
    const cl = digits(clText, 2 ** 32 - 1);
    if (cl === undefined) return fail(new SipParseError('bad-content-length', 'bad Content-Length'), partial);
    if (bodyStart + cl > buf.length) return fail(new SipParseError('truncated-body', 'body shorter than Content-Length'), partial);
    bodyEnd = bodyStart + cl;
  }
  message.body = bodyStart < bodyEnd ? buf.toString('utf8', bodyStart, bodyEnd) : '';

  for (const h of REQUIRED) {
    if (!headers.has(h)) return fail(new SipParseError('missing-header', `missing ${canonicalName(h)} header`), partial);
  }
  if (!/\S/.test(headers.get('call-id') ?? '')) return fail(new SipParseError('bad-header', 'empty Call-ID'), partial);
  if (!CALL_ID.test(headers.get('call-id') ?? '')) return fail(new SipParseError('bad-header', 'bad Call-ID'), partial);
  const expires = headers.get('expires');
  if (expires !== undefined && !/^\d+$/.test(expires)) return fail(new SipParseError('bad-header', 'bad Expires'), partial);
  // §20.22: Max-Forwards is 1*DIGIT; leading zeros are valid (an RFC 4475 §3.1.1 valid class), 0-255.
  const maxForwards = headers.get('max-forwards');
  if (maxForwards !== undefined && digits(maxForwards, 255) === undefined) return fail(new SipParseError('bad-header', 'bad Max-Forwards'), partial);
  const cseq = parseCSeq(headers.get('cseq'));
  if (cseq instanceof SipParseError) return fail(cseq, partial);
  if (message.type === 'request') {
    if (cseq.method !== message.method) return fail(new SipParseError('bad-cseq', 'CSeq method does not match the request'), partial);
    const uri = parseUri(message.uri);
    if (uri instanceof SipParseError) return fail(uri, partial);
    // §20.10, §20.30, §20.34: a request's Contact, Route and Record-Route entries are name-addrs
    // we may have to use (a Contact "*" only in REGISTER, §10.2.2).
    for (const h of ['contact', 'route', 'record-route'] as const) {
      for (const v of headers.getAll(h)) {
        const a = parseNameAddr(v);
        if (a instanceof SipParseError || (a.wildcard && (h !== 'contact' || message.method !== 'REGISTER'))) {
          return fail(new SipParseError('bad-header', `bad ${canonicalName(h)}`), partial);
        }
      }
    }
  }
  for (const v of headers.getAll('via')) {
    const via = parseVia(v);
    if (via instanceof SipParseError) return fail(via, partial);
  }
  for (const h of ['from', 'to'] as const) {
    // §20.20, §20.39: From and To take any absoluteURI (tel:, http:, urn:), not only SIP ones.
    const a = parseNameAddr(headers.get(h) ?? '', { anyScheme: true });
    if (a instanceof SipParseError) return fail(new SipParseError('bad-header', `bad ${canonicalName(h)}: ${a.message}`), partial);
  }
  return { ok: true, message };
}

/**
 * The request, when a response can reach its sender: a usable top Via (§18.2.2). A top Via that
 * does not parse (a sent-by that is no host, parameters that are no generic-params) leaves
 * nowhere to send a 400: the UA drops the request and counts it (stats.dropped). Broken or
 * missing From, To, Call-ID or CSeq are copied as they are; the reason phrase says what is wrong.
 */
function answerable(req: SipRequest): SipRequest | undefined {
  const vias = req.headers.getAll('via');
  if (vias.length === 0 || parseVia(vias[0]) instanceof SipParseError) return undefined;
  return req;
}
