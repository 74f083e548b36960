// Header names: case-insensitive (RFC 3261 §7.3.1), compact forms (§7.3.3) and which headers
// carry comma-separated lists (§7.3.1: only those whose grammar is a list may be combined).

const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  o: 'event',
  r: 'refer-to',
  u: 'allow-events',
  a: 'accept-contact',
  j: 'reject-contact',
  d: 'request-disposition',
  x: 'session-expires',
  y: 'identity',
  b: 'referred-by',
};

const CANONICAL: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
  rseq: 'RSeq', // RFC 3262 §7
  rack: 'RAck',
  'min-se': 'Min-SE', // RFC 4028 §5
};

/** Lower-case long form: the key headers are stored and looked up under. */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
}

/** The conventional spelling used when serializing ("Call-ID", "Content-Length"). */
export function canonicalName(key: string): string {
  return CANONICAL[key] ?? key.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

const LIST_HEADERS = new Set([
  'via',
  'contact',
  'route',
  'record-route',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'accept',
  'accept-encoding',
  'accept-language',
  'content-encoding',
  'allow-events',
  'in-reply-to',
]);

/** Splits a header value at commas that are outside quoted strings and <...> (§7.3.1). */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inQuote = false;
    } else if (c === 0x22) inQuote = true;
    else if (c === 0x3c) inAngle = true;
    else if (c === 0x3e) inAngle = false;
    else if (c === 0x2c && !inAngle) {
      const part = value.slice(start, i).trim();
      if (part) out.push(part);
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last) out.push(last);
  return out;
}

export interface SipHeader {
  /** Lower-case long form (compact forms expanded). */
  readonly key: string;
  value: string;
}

/** Ordered header list; repeated headers keep their order (§7.3.1: order of Via/Route matters). */
export class SipHeaders {
  readonly list: SipHeader[] = [];

  static from(entries: Iterable<readonly [string, string]>): SipHeaders {
    const h = new SipHeaders();
    for (const [n, v] of entries) h.add(n, v);
    return h;
  }

  add(name: string, value: string): this {
    this.list.push({ key: headerKey(name), value });
    return this;
  }

  /** Adds before the first header of that name, or first of all (a UA's own Via goes on top). */
  prepend(name: string, value: string): this {
    const key = headerKey(name);
    const i = this.list.findIndex((h) => h.key === key);
    this.list.splice(Math.max(i, 0), 0, { key, value });
    return this;
  }

  set(name: string, value: string): this {
    const key = headerKey(name);
    const i = this.list.findIndex((h) => h.key === key);
    if (i < 0) this.list.push({ key, value });
    else {
      this.list[i].value = value;
      for (let j = this.list.length - 1; j > i; j--) if (this.list[j].key === key) this.list.splice(j, 1);
    }
    return this;
  }

  delete(name: string): this {
    const key = headerKey(name);
    for (let j = this.list.length - 1; j >= 0; j--) if (this.list[j].key === key) this.list.splice(j, 1);
    return this;
  }

  has(name: string): boolean {
    const key = headerKey(name);
    return this.list.some((h) => h.key === key);
  }

  /** First value of that header, as received. */
  get(name: string): string | undefined {
    const key = headerKey(name);
    for (const h of this.list) if (h.key === key) return h.value;
    return undefined;
  }

  /** Every value: repeated headers in order, list headers split at their commas. */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const out: string[] = [];
    const isList = LIST_HEADERS.has(key);
    for (const h of this.list) {
      if (h.key !== key) continue;
      if (isList) out.push(...splitList(h.value));
      else out.push(h.value);
    }
    return out;
  }

  clone(): SipHeaders {
    const h = new SipHeaders();
    for (const e of this.list) h.list.push({ key: e.key, value: e.value });
    return h;
  }
}
