// Generic parameters (";name=value", RFC 3261 §25.1 generic-param) and quoted strings (§25.1
// quoted-string with quoted-pair escaping).

export type SipParams = Map<string, string | null>;

/** Unquotes a quoted-string's content (without the surrounding quotes), resolving quoted-pairs. */
export function unescapeQuoted(s: string): string {
  return s.replace(/\\(.)/gs, '$1');
}

export function quote(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Index of the closing quote of a quoted string opening at `start`, or -1. */
export function endOfQuoted(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}

/**
 * Parses ";a=b;c;d=\"q\"" into a map (names lower-cased, quoted values unquoted). Returns
 * undefined on an unterminated quoted string.
 */
export function parseParams(s: string): SipParams | undefined {
  const params: SipParams = new Map();
  let i = 0;
  while (i < s.length) {
    while (i < s.length && (s[i] === ';' || s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= s.length) break;
    let j = i;
    while (j < s.length && s[j] !== '=' && s[j] !== ';') j++;
    const name = s.slice(i, j).trim().toLowerCase();
    if (j < s.length && s[j] === '=') {
      let k = j + 1;
      while (k < s.length && (s[k] === ' ' || s[k] === '\t')) k++;
      if (s[k] === '"') {
        const end = endOfQuoted(s, k);
        if (end < 0) return undefined;
        params.set(name, unescapeQuoted(s.slice(k + 1, end)));
        i = end + 1;
        while (i < s.length && s[i] !== ';') i++;
      } else {
        let e = k;
        while (e < s.length && s[e] !== ';') e++;
        params.set(name, s.slice(k, e).trim());
        i = e;
      }
    } else {
      if (name) params.set(name, null);
      i = j;
    }
  }
  return params;
}

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/**
 * §25.1 generic-param = token [ EQUAL gen-value ], gen-value = token / host / quoted-string, each
 * after SEMI (LWS allowed around ";" and "="). A host value may be an IPv6 address, bracketed or
 * (§20.42 via-received) bare, hence ":" "[" "]" beside the token characters.
 */
const GENERIC_PARAM_LIST = /^(?:[ \t]*;[ \t]*[A-Za-z0-9\-.!%*_+`'~]+(?:[ \t]*=[ \t]*(?:[A-Za-z0-9\-.!%*_+`'~:[\]]+|"(?:[^"\\]|\\.)*"))?)*[ \t]*$/s;

/** Whether `s` (";a=b;c", or '') is a list of generic-params as §25.1 writes them. */
export function isGenericParamList(s: string): boolean {
  return GENERIC_PARAM_LIST.test(s);
}

export function serializeParams(params: SipParams): string {
  let out = '';
  for (const [k, v] of params) {
    if (v === null) out += `;${k}`;
    else out += `;${k}=${v === '' || TOKEN.test(v) || /^[\w.:[\]-]+$/.test(v) ? v : quote(v)}`;
  }
  return out;
}
