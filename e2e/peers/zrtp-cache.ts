// Reads and tampers with an app's ZRTP cache at rest (<dataDir>/zrtp-cache.json, the format of
// src/main/store/zrtp-cache-store.ts) while that app is stopped.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface CacheFile {
  version: 1;
  zid: string;
  peers: Record<string, { rs1?: string; rs2?: string; verified: boolean }>;
  identities: Record<string, string>;
}

const cachePath = (dataDir: string) => join(dataDir, 'zrtp-cache.json');

export function readZrtpCache(dataDir: string): CacheFile {
  return JSON.parse(readFileSync(cachePath(dataDir), 'utf8')) as CacheFile;
}

/**
 * Flips every bit of the first byte of the rs1 cached for `peerZid`: the next handshake's rs1IDr
 * no longer matches the peer's (RFC 6189 §4.3.1), a cache mismatch (§4.3.2) when no rs2 matches
 * either. Returns the entry as it was.
 */
export function corruptRetainedSecret(dataDir: string, peerZid: string): { rs1: string; rs2?: string; verified: boolean } {
  const cache = readZrtpCache(dataDir);
  const entry = cache.peers[peerZid];
  if (!entry?.rs1) throw new Error(`no rs1 cached for peer ${peerZid} in ${cachePath(dataDir)}`);
  const before = { rs1: entry.rs1, rs2: entry.rs2, verified: entry.verified };
  const first = (parseInt(entry.rs1.slice(0, 2), 16) ^ 0xff).toString(16).padStart(2, '0');
  entry.rs1 = first + entry.rs1.slice(2);
  writeFileSync(cachePath(dataDir), JSON.stringify(cache), { mode: 0o600 });
  return before;
}
