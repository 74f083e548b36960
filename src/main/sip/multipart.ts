// Multipart bodies in SIP (RFC 5621, MIME framing from RFC 2046 §5.1.1): a body of parts, each
// with its own headers, between lines "--boundary" and closed by "--boundary--". An INVITE may
// carry its SDP offer as one part beside others (an ISUP blob, a location object). Bounded: at
// most MAX_PARTS parts and one level (a nested multipart part is a part like any other).
// Never throws: a body that does not frame is a MultipartError.

/** More parts than this is not a call offer anyone sends. */
export const MAX_PARTS = 16;

export interface BodyPart {
  /** Lower-cased header names and their values (the last one wins). */
  headers: Map<string, string>;
  /** The part's media type, lower-case without parameters ("" when the part has none). */
  type: string;
  body: string;
}

export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

export interface MediaType {
  /** "type/subtype", lower-case. */
  type: string;
  /** Parameters; names lower-case, quoted values unquoted. */
  params: Map<string, string>;
}

/** RFC 3261 §20.15 / RFC 2045 §5.1: `type/subtype *(; name=value)`; undefined when it is not one. */
export function parseMediaType(text: string): MediaType | undefined {
  const m = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(.*)$/s.exec(text);
  if (!m) return undefined;
  const params = new Map<string, string>();
  let rest = m[2];
  while (rest.length > 0) {
    const p = /^;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*/s.exec(rest);
    if (!p) return undefined;
    const value = p[2].startsWith('"') ? p[2].slice(1, -1).replace(/\\(.)/gs, '$1') : p[2];
    params.set(p[1].toLowerCase(), value);
    rest = rest.slice(p[0].length);
  }
  return { type: m[1].toLowerCase(), params };
}

/** RFC 2046 §5.1.1: 1-70 characters, not ending in a space. */
function validBoundary(b: string): boolean {
  return /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(b);
}

function parsePart(text: string): BodyPart | MultipartError {
  // A part with no headers starts with its blank line.
  const split = text.startsWith('\r\n') ? 0 : text.indexOf('\r\n\r\n');
  const headText = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + (split === 0 ? 2 : 4));
  const headers = new Map<string, string>();
  // Header lines may fold (RFC 5322 §2.2.3): a line starting with white space continues the last.
  for (const line of headText.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return new MultipartError(`a part header without a colon: ${line.slice(0, 40)}`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  // RFC 2045 §5.2: a part without Content-Type is text/plain; a SIP part without one is not SDP.
  const declared = headers.get('content-type');
  const type = declared === undefined ? '' : parseMediaType(declared)?.type;
  if (type === undefined) return new MultipartError('a part with a malformed Content-Type');
  return { headers, type, body };
}

/**
 * The parts of a multipart body whose Content-Type (of the message) is `contentType`; the
 * boundary comes from its parameter. Preamble and epilogue are ignored (§5.1.1).
 */
export function parseMultipart(contentType: string, body: string): BodyPart[] | MultipartError {
  const mt = parseMediaType(contentType);
  if (!mt || !mt.type.startsWith('multipart/')) return new MultipartError('not a multipart Content-Type');
  const boundary = mt.params.get('boundary');
  if (boundary === undefined || !validBoundary(boundary)) return new MultipartError('missing or malformed boundary');
  const delimiter = `--${boundary}`;
  // Each delimiter starts a line: the body's start, or after a CRLF that belongs to it.
  const text = `\r\n${body}`;
  const marker = `\r\n${delimiter}`;
  let at = text.indexOf(marker);
  if (at < 0) return new MultipartError('no boundary line in the body');
  const parts: BodyPart[] = [];
  for (;;) {
    let lineEnd = at + marker.length;
    if (text.startsWith('--', lineEnd)) return parts.length > 0 ? parts : new MultipartError('a multipart body without parts');
    // Transport padding (white space) may follow a delimiter before its CRLF.
    while (text[lineEnd] === ' ' || text[lineEnd] === '\t') lineEnd++;
    if (!text.startsWith('\r\n', lineEnd)) return new MultipartError('a boundary line with trailing text');
    const start = lineEnd + 2;
    const next = text.indexOf(marker, start - 2);
    if (next < 0) return new MultipartError('no closing boundary');
    if (parts.length === MAX_PARTS) return new MultipartError(`more than ${MAX_PARTS} parts`);
    const part = parsePart(next < start ? '' : text.slice(start, next));
    if (part instanceof MultipartError) return part;
    parts.push(part);
    at = next;
  }
}
