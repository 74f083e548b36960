// a=crypto (RFC 4568 §9.1):
//   "a=crypto:" tag SP crypto-suite SP key-params *(SP session-param)
//   key-param = "inline:" key-salt ["|" lifetime] ["|" mki-value ":" mki-length]
// Fields are kept as written so the line serializes back byte for byte; single spaces only (what
// every stack we met sends), anything else is left as a malformed attribute.
import { MAX_CRYPTO_KEY_PARAMS, MAX_CRYPTO_SESSION_PARAMS } from './limits';
import { sdesSuite, type SdesSuiteName } from './crypto-suites';
import { isToken, parseDecimal, splitStrict } from './tokens';
import type { Attribute, CryptoKeyParam } from './types';

export type CryptoAttribute = Extract<Attribute, { kind: 'crypto' }>;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const LIFETIME = /^(2\^)?(0|[1-9][0-9]{0,19})$/;

function parseKeyParam(text: string): CryptoKeyParam | string {
  if (!text.startsWith('inline:')) return 'only the inline key method exists (RFC 4568 §6.1)';
  const parts = text.slice('inline:'.length).split('|');
  if (parts.length > 3) return 'too many | fields in key-info';
  const [keySalt, ...rest] = parts;
  if (!BASE64.test(keySalt) || keySalt.length % 4 !== 0) return 'key||salt is not base64';
  const param: CryptoKeyParam = { method: 'inline', keySalt };
  for (const field of rest) {
    const colon = field.indexOf(':');
    if (colon >= 0) {
      if (param.mki) return 'two MKI fields';
      const value = field.slice(0, colon);
      const length = parseDecimal(field.slice(colon + 1), 128);
      if (!/^(0|[1-9][0-9]{0,63})$/.test(value) || length === undefined || length < 1) return 'bad MKI';
      param.mki = { value, length };
    } else {
      if (param.lifetime !== undefined || param.mki) return 'lifetime must come once, before the MKI';
      if (!LIFETIME.test(field)) return 'bad lifetime';
      param.lifetime = field;
    }
  }
  return param;
}

export function parseCrypto(value: string): CryptoAttribute | string {
  const fields = splitStrict(value);
  if (!fields || fields.length < 3) return 'a=crypto needs tag, suite and key-params';
  const tag = parseDecimal(fields[0], 999_999_999);
  if (tag === undefined) return 'bad crypto tag';
  if (!isToken(fields[1])) return 'bad crypto-suite';
  const keyTexts = fields[2].split(';');
  if (keyTexts.length > MAX_CRYPTO_KEY_PARAMS) return 'too many key-params';
  const keyParams: CryptoKeyParam[] = [];
  for (const t of keyTexts) {
    const p = parseKeyParam(t);
    if (typeof p === 'string') return p;
    keyParams.push(p);
  }
  const sessionParams = fields.slice(3);
  if (sessionParams.length > MAX_CRYPTO_SESSION_PARAMS) return 'too many session-params';
  return { kind: 'crypto', tag, suite: fields[1], keyParams, sessionParams };
}

function formatKeyParam(p: CryptoKeyParam): string {
  let s = `inline:${p.keySalt}`;
  if (p.lifetime !== undefined) s += `|${p.lifetime}`;
  if (p.mki) s += `|${p.mki.value}:${p.mki.length}`;
  return s;
}

export function formatCrypto(attr: CryptoAttribute): string {
  const head = `${attr.tag} ${attr.suite} ${attr.keyParams.map(formatKeyParam).join(';')}`;
  return attr.sessionParams.length > 0 ? `${head} ${attr.sessionParams.join(' ')}` : head;
}

/** Master key and salt of one key-param, checked against the suite's sizes. */
export interface SdesKeyMaterial {
  suite: SdesSuiteName;
  masterKey: Uint8Array;
  masterSalt: Uint8Array;
  lifetime?: string;
  mki?: { value: string; length: number };
}

/**
 * Decodes the first key-param of a crypto attribute for a suite Vouch knows. Returns a reason
 * string when the suite is unknown or the key||salt has the wrong size (RFC 4568 §6.1).
 */
export function decodeCryptoKey(attr: CryptoAttribute): SdesKeyMaterial | string {
  const suite = sdesSuite(attr.suite);
  if (!suite) return `unknown crypto-suite ${attr.suite}`;
  const first = attr.keyParams[0];
  const bytes = Buffer.from(first.keySalt, 'base64');
  if (bytes.length !== suite.keyLength + suite.saltLength) {
    return `${suite.name} needs ${suite.keyLength + suite.saltLength} bytes of key||salt, got ${bytes.length}`;
  }
  const material: SdesKeyMaterial = {
    suite: suite.name,
    masterKey: new Uint8Array(bytes.subarray(0, suite.keyLength)),
    masterSalt: new Uint8Array(bytes.subarray(suite.keyLength)),
  };
  if (first.lifetime !== undefined) material.lifetime = first.lifetime;
  if (first.mki) material.mki = first.mki;
  return material;
}

/** Builds a crypto attribute carrying fresh key material (RFC 4568 §6.1 inline). */
export function cryptoAttribute(tag: number, suite: SdesSuiteName, masterKey: Uint8Array, masterSalt: Uint8Array): CryptoAttribute {
  const keySalt = Buffer.concat([masterKey, masterSalt]).toString('base64');
  return { kind: 'crypto', tag, suite, keyParams: [{ method: 'inline', keySalt }], sessionParams: [] };
}
