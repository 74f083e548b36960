// An independent check of a SIP request against RFC 3261 §25.1's grammar (and §7.3.1, §8.1.1,
// §18.3), written apart from src/main/sip/parser.ts so the fuzzer can tell when the parser accepts
// what the grammar does not. Covers what a UAS acts on: the Request-Line, header-line syntax,
// the single-valued headers (To, From, Call-ID, CSeq, Max-Forwards, Content-Length) at most once
// and To/From/Call-ID/CSeq/Via present (§8.1.1), their values' shape, and the body's length.
// Returns undefined when the request conforms, else what does not.
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const WORD = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+$/;
const COMPACT: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id', l: 'content-length', m: 'contact', c: 'content-type', s: 'subject', k: 'supported', e: 'content-encoding' };
const SINGLE = ['to', 'from', 'call-id', 'cseq', 'max-forwards', 'content-length'];
const REQUIRED = ['to', 'from', 'call-id', 'cseq', 'via'];
// hostname / IPv4address / IPv6reference (§25.1), then an optional port.
const HOST = String.raw`(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\])`;
// SIP-URI = "sip:" [ userinfo ] hostport uri-parameters [ headers ]: the userinfo is anything up
// to the last "@" without separators the grammar leaves unescaped; parameters are ;name[=value].
const SIP_URI = new RegExp(String.raw`^sips?:(?:[^@\s<>"]+@)?(${HOST}(?::\d{1,5})?)((?:;[A-Za-z0-9\-.!~*'()%\[\]/:&+$]+(?:=[A-Za-z0-9\-.!~*'()%\[\]/:&+$]+)?)*)(?:\?[^\s<>"]*)?$`, 'i');
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"]+$/;
const VIA_PARM = new RegExp(String.raw`^SIP\s*/\s*\d+\.\d+\s*/\s*[A-Za-z0-9\-.!%*_+\`'~]+\s+(${HOST}(?::\d{1,5})?)\s*(?:;\s*[A-Za-z0-9\-.!%*_+\`'~]+(?:\s*=\s*(?:[A-Za-z0-9\-.!%*_+\`'~:\[\]]+|"[^"]*"))?\s*)*$`, 'i');
const GENERIC_PARAMS = String.raw`(?:\s*;\s*[A-Za-z0-9\-.!%*_+\`'~]+(?:\s*=\s*(?:[A-Za-z0-9\-.!%*_+\`'~:\[\]]+|"(?:[^"\\]|\\.)*"))?)*\s*$`;
const NAME_ADDR = new RegExp(String.raw`^(?:(?:[A-Za-z0-9\-.!%*_+\`'~]+(?:\s+[A-Za-z0-9\-.!%*_+\`'~]+)*|"(?:[^"\\]|\\.)*")?\s*<([^<>\s]+)>)` + GENERIC_PARAMS);
const ADDR_SPEC = new RegExp(String.raw`^([^\s;<>"]+)` + GENERIC_PARAMS);

function checkUri(uri: string): string | undefined {
  if (/^sips?:/i.test(uri)) return SIP_URI.test(uri) ? undefined : `bad SIP-URI ${uri}`;
  return ABSOLUTE_URI.test(uri) ? undefined : `bad absoluteURI ${uri}`;
}

function checkAddress(name: string, value: string): string | undefined {
  const m = NAME_ADDR.exec(value) ?? ADDR_SPEC.exec(value);
  if (!m) return `bad ${name} ${value}`;
  return checkUri(m[1]);
}

export function sipGrammarError(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes).toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return 'no CRLF CRLF after the headers';
  const lines = text.slice(0, end).split('\r\n');
  const body = text.slice(end + 4);
  const requestLine = /^([^ ]+) ([^ ]+) ([^ ]+)$/.exec(lines[0]);
  if (!requestLine) return 'Request-Line is not Method SP Request-URI SP SIP-Version';
  const [, method, uri, version] = requestLine;
  if (!TOKEN.test(method)) return `Method ${method} is not a token`;
  if (!/^SIP\/\d+\.\d+$/i.test(version)) return `bad SIP-Version ${version}`;
  const uriError = checkUri(uri);
  if (uriError) return uriError;
  // Header lines, folded continuations unfolded (§7.3.1).
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    if (/^[ \t]/.test(line)) {
      if (headers.length === 0) return 'continuation line before any header';
      headers[headers.length - 1][1] += ' ' + line.trim();
      continue;
    }
    const h = /^([^:\s]+)[ \t]*:(.*)$/.exec(line);
    if (!h || !TOKEN.test(h[1])) return `bad header line ${JSON.stringify(line.slice(0, 60))}`;
    headers.push([COMPACT[h[1].toLowerCase()] ?? h[1].toLowerCase(), h[2].trim()]);
  }
  for (const [name, value] of headers) {
    // CTLs other than HTAB (§25.1 TEXT-UTF8char excludes them).
    if ([...value].some((c) => (c < ' ' && c !== '\t') || c === '\x7f')) return `control character in ${name}`;
  }
  const all = (name: string): string[] => headers.filter(([n]) => n === name).map(([, v]) => v);
  for (const name of SINGLE) if (all(name).length > 1) return `${name} more than once`;
  for (const name of REQUIRED) if (all(name).length === 0) return `no ${name}`;
  // Via values are comma lists (§7.3.1); a comma inside a quoted parameter value splits nothing.
  for (const via of all('via').flatMap((v) => v.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? [''])) {
    if (!VIA_PARM.test(via.trim())) return `bad Via ${via}`;
  }
  for (const name of ['to', 'from']) {
    const err = checkAddress(name, all(name)[0]);
    if (err) return err;
  }
  const callId = all('call-id')[0];
  if (!/^[^@\s]+(?:@[^@\s]+)?$/.test(callId) || !callId.split('@').every((w) => WORD.test(w))) return `bad Call-ID ${callId}`;
  const cseq = /^(\d{1,10})\s+(\S+)$/.exec(all('cseq')[0]);
  if (!cseq || Number(cseq[1]) >= 2 ** 31) return `bad CSeq ${all('cseq')[0]}`;
  if (cseq[2] !== method) return `CSeq method ${cseq[2]} is not the Request-Line's ${method}`; // §8.1.1.5
  const maxForwards = all('max-forwards')[0];
  if (maxForwards !== undefined && !/^\d{1,10}$/.test(maxForwards)) return `bad Max-Forwards ${maxForwards}`;
  const contentLength = all('content-length')[0];
  if (contentLength !== undefined) {
    if (!/^\d{1,10}$/.test(contentLength)) return `bad Content-Length ${contentLength}`;
    if (Number(contentLength) > Buffer.byteLength(body, 'latin1')) return 'body shorter than Content-Length'; // §18.3
  }
  return undefined;
}
