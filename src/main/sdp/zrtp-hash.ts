// a=zrtp-hash (RFC 6189 §8.1): "a=zrtp-hash:" zrtp-version SP zrtp-hash-value, the value being
// the SHA-256 hash of the stream's Hello message (64 hex digits), e.g. "1.10 fe30efd0...".
import type { Attribute } from './types';

export type ZrtpHashAttribute = Extract<Attribute, { kind: 'zrtp-hash' }>;

const VERSION = /^[0-9]{1,4}\.[0-9]{1,4}$/;
const HASH = /^[0-9a-fA-F]{64}$/;

export function parseZrtpHash(value: string): ZrtpHashAttribute | string {
  const sp = value.indexOf(' ');
  if (sp < 0) return 'zrtp-hash needs a version and a hash';
  const version = value.slice(0, sp);
  const hash = value.slice(sp + 1);
  if (!VERSION.test(version)) return `zrtp-hash version "${version.slice(0, 16)}" is not like 1.10`;
  if (!HASH.test(hash)) return 'zrtp-hash value is not 64 hex digits';
  return { kind: 'zrtp-hash', version, hash };
}

export function formatZrtpHash(attr: ZrtpHashAttribute): string {
  return `${attr.version} ${attr.hash}`;
}

/** Two hashes name the same Hello when version and value match (hex compared without case). */
export function sameZrtpHash(a: { version: string; hash: string }, b: { version: string; hash: string }): boolean {
  return a.version === b.version && a.hash.toLowerCase() === b.hash.toLowerCase();
}
