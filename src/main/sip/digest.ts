// HTTP Digest authentication for SIP (RFC 3261 §22.4, RFC 2617 §3.2, RFC 7616 §3.4, and RFC 8760
// for SHA-256 and SHA-512/256 in SIP). Only qop=auth (or no qop); auth-int is not offered by
// the registrars and proxies Vouch talks to.
import { createHash, randomBytes } from 'node:crypto';
import { parseParams, quote } from './params';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

const HASH: Record<string, string> = { md5: 'md5', 'sha-256': 'sha256', 'sha-512-256': 'sha512-256' };

export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  qop: string[];
  opaque?: string;
  stale: boolean;
}

/** Parses a WWW-Authenticate / Proxy-Authenticate value; undefined if not a usable Digest challenge. */
export function parseChallenge(value: string): DigestChallenge | undefined {
  const m = /^\s*digest\s+(.*)$/is.exec(value);
  if (!m) return undefined;
  // The list is comma-separated; parseParams takes ';', so re-split on commas outside quotes.
  const params = parseParams(splitAuthParams(m[1]).join(';'));
  if (!params) return undefined;
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm == null || nonce == null) return undefined;
  const algText = params.get('algorithm') ?? 'MD5';
  const algorithm = (['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess', 'SHA-512-256', 'SHA-512-256-sess'] as const).find((a) => a.toLowerCase() === algText.toLowerCase());
  if (!algorithm) return undefined;
  const c: DigestChallenge = {
    realm,
    nonce,
    algorithm,
    qop: (params.get('qop') ?? '')
      .split(',')
      .map((q) => q.trim().toLowerCase())
      .filter(Boolean),
    stale: (params.get('stale') ?? '').toLowerCase() === 'true',
  };
  const opaque = params.get('opaque');
  if (opaque != null) c.opaque = opaque;
  return c;
}

function splitAuthParams(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < s.length; i++) {
    if (inQuote) {
      if (s[i] === '\\') i++;
      else if (s[i] === '"') inQuote = false;
    } else if (s[i] === '"') inQuote = true;
    else if (s[i] === ',') {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out.filter(Boolean);
}

export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  /** Present with qop=auth: nonce count (8 hex digits) and client nonce. */
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}

/** The request-digest (RFC 2617 §3.2.2.1, RFC 7616 §3.4.1). */
export function digestResponse(d: DigestInput): string {
  const base = d.algorithm.replace(/-sess$/, '').toLowerCase();
  const hashName = HASH[base];
  const H = (s: string): string => createHash(hashName).update(s, 'utf8').digest('hex');
  let ha1 = H(`${d.username}:${d.realm}:${d.password}`);
  if (d.algorithm.endsWith('-sess')) ha1 = H(`${ha1}:${d.nonce}:${d.cnonce ?? ''}`);
  const ha2 = H(`${d.method}:${d.uri}`);
  return d.qop ? H(`${ha1}:${d.nonce}:${d.nc}:${d.cnonce}:${d.qop}:${ha2}`) : H(`${ha1}:${d.nonce}:${ha2}`);
}

/** Picks the first challenge whose algorithm we support (RFC 8760 §2.4: servers list them by preference). */
export function pickChallenge(values: string[]): DigestChallenge | undefined {
  for (const v of values) {
    const c = parseChallenge(v);
    if (c && (c.qop.length === 0 || c.qop.includes('auth'))) return c;
  }
  return undefined;
}

/** The Authorization / Proxy-Authorization value answering a challenge (RFC 3261 §22.4). */
export function authorize(challenge: DigestChallenge, username: string, password: string, method: string, uri: string, nc: number, cnonce = randomBytes(12).toString('hex')): string {
  const qop = challenge.qop.includes('auth') ? ('auth' as const) : undefined;
  const ncText = nc.toString(16).padStart(8, '0');
  const response = digestResponse({ algorithm: challenge.algorithm, username, realm: challenge.realm, password, method, uri, nonce: challenge.nonce, qop, nc: ncText, cnonce });
  let out = `Digest username=${quote(username)}, realm=${quote(challenge.realm)}, nonce=${quote(challenge.nonce)}, uri=${quote(uri)}, response=${quote(response)}, algorithm=${challenge.algorithm}`;
  if (qop) out += `, qop=${qop}, nc=${ncText}, cnonce=${quote(cnonce)}`;
  if (challenge.opaque !== undefined) out += `, opaque=${quote(challenge.opaque)}`;
  return out;
}
