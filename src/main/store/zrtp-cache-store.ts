// The ZRTP cache at rest (RFC 6189 §4.9): this data directory's own ZID, and per peer ZID the
// retained secrets rs1/rs2, the PBX secret and the SAS-verified flag; beside them, which ZID each
// SIP address last used (so AppCore can raise "new security identity"). One 0600 JSON file,
// written atomically, read by the app and the CLI alike. A corrupt file is moved aside and a new
// identity is NOT silently created over it without a warning.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readJsonOrMoveAside, writeFileAtomic } from './atomic-file';
// The entry's shape is the worker protocol's: the store keeps what the worker posts (cacheUpdate).
import type { StoredZrtpPeer } from '../media/worker-protocol';

export type { StoredZrtpPeer };

export const ZRTP_CACHE_FILE = 'zrtp-cache.json';
const HEX = /^[0-9a-f]*$/;

export interface ZrtpCacheFile {
  version: 1;
  /** Our ZID: 96 bits, hex (§4.9: one per installation; here one per data directory). */
  zid: string;
  peers: Record<string, StoredZrtpPeer>;
  /** SIP address (without parameters) -> the peer ZID last seen behind it. */
  identities: Record<string, string>;
}

function isSecret(v: unknown): boolean {
  return v === undefined || (typeof v === 'string' && v.length <= 128 && v.length % 2 === 0 && HEX.test(v));
}

function validate(v: unknown): ZrtpCacheFile | string {
  if (typeof v !== 'object' || v === null) return 'not an object';
  const f = v as Partial<ZrtpCacheFile>;
  if (f.version !== 1) return 'unknown version';
  if (typeof f.zid !== 'string' || f.zid.length !== 24 || !HEX.test(f.zid)) return 'bad zid';
  if (typeof f.peers !== 'object' || f.peers === null) return 'bad peers';
  for (const [zid, p] of Object.entries(f.peers)) {
    if (zid.length !== 24 || !HEX.test(zid)) return `bad peer zid ${zid.slice(0, 30)}`;
    if (typeof p !== 'object' || p === null || typeof p.verified !== 'boolean' || !isSecret(p.rs1) || !isSecret(p.rs2) || !isSecret(p.pbxSecret)) {
      return `bad entry for peer ${zid}`;
    }
  }
  const identities = f.identities ?? {};
  if (typeof identities !== 'object') return 'bad identities';
  return { version: 1, zid: f.zid, peers: f.peers, identities };
}

export class ZrtpCacheStore {
  readonly path: string;
  private data: ZrtpCacheFile;
  /** Set when the file on disk was unreadable and moved aside: the user must be told. */
  readonly warning?: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, ZRTP_CACHE_FILE);
    const read = readJsonOrMoveAside(this.path);
    let warning: string | undefined;
    let data: ZrtpCacheFile | undefined;
    if (read.kind === 'ok') {
      const v = validate(read.value);
      if (typeof v === 'string') {
        const movedTo = `${this.path}.invalid-${Date.now()}`;
        writeFileAtomic(movedTo, JSON.stringify(read.value));
        warning = `ZRTP cache was invalid (${v}); kept a copy in ${movedTo} and started a new one: compare the SAS on your next calls`;
      } else data = v;
    } else if (read.kind === 'corrupt') {
      warning = `ZRTP cache was corrupt (${read.error}); moved to ${read.movedTo} and started a new one: compare the SAS on your next calls`;
    }
    this.warning = warning;
    this.data = data ?? { version: 1, zid: randomBytes(12).toString('hex'), peers: {}, identities: {} };
    if (!data) this.save();
  }

  get zid(): string {
    return this.data.zid;
  }

  peer(zid: string): StoredZrtpPeer | undefined {
    return this.data.peers[zid];
  }

  peers(): Record<string, StoredZrtpPeer> {
    return structuredClone(this.data.peers);
  }

  /** Writes the entry the media worker posted after a secured session. */
  setPeer(zid: string, entry: Omit<StoredZrtpPeer, 'updatedAt'>): void {
    if (zid.length !== 24 || !HEX.test(zid)) throw new Error('bad peer ZID');
    this.data.peers[zid] = { ...entry, updatedAt: Date.now() };
    this.save();
  }

  setVerified(zid: string, verified: boolean): void {
    const p = this.data.peers[zid];
    if (!p) return;
    p.verified = verified;
    p.updatedAt = Date.now();
    this.save();
  }

  /** The ZID last seen for a SIP address. */
  identityOf(address: string): string | undefined {
    return this.data.identities[address];
  }

  /** Records a SIP address's ZID; returns the previous one when it changed (a "new identity"). */
  recordIdentity(address: string, zid: string): string | undefined {
    const previous = this.data.identities[address];
    if (previous === zid) return undefined;
    this.data.identities[address] = zid;
    this.save();
    return previous;
  }

  /** Forgets every peer (Settings → reset cache); keeps our own ZID. */
  reset(): void {
    this.data.peers = {};
    this.data.identities = {};
    this.save();
  }

  private save(): void {
    writeFileAtomic(this.path, JSON.stringify(this.data, null, 1) + '\n');
  }
}
