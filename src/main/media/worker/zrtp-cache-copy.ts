// The worker's copy of the ZRTP cache entries (RFC 6189 §4.9). The engine reads and writes it;
// every write is posted to main, which persists it (src/main/store). Secrets cross to main only
// to be stored, never to be used there.

import type { ZrtpCache, ZrtpCacheEntry } from '../../../crypto/zrtp';
import type { StoredZrtpPeer } from '../worker-protocol';

const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const fromHex = (h: string | undefined): Uint8Array | undefined => (h ? new Uint8Array(Buffer.from(h, 'hex')) : undefined);

export class WorkerZrtpCache implements ZrtpCache {
  private readonly entries = new Map<string, ZrtpCacheEntry>();

  constructor(
    stored: Record<string, StoredZrtpPeer>,
    private readonly persist: (peerZid: string, entry: Omit<StoredZrtpPeer, 'updatedAt'>) => void,
  ) {
    this.load(stored);
  }

  /** Takes `stored`'s entries, in place of what it had (a prepared stream's engine holds this copy). */
  load(stored: Record<string, StoredZrtpPeer>): void {
    this.clear();
    for (const [zid, e] of Object.entries(stored)) {
      this.entries.set(zid, { rs1: fromHex(e.rs1), rs2: fromHex(e.rs2), pbxSecret: fromHex(e.pbxSecret), verified: e.verified });
    }
  }

  get(peerZid: Uint8Array): ZrtpCacheEntry | undefined {
    return this.entries.get(toHex(peerZid));
  }

  set(peerZid: Uint8Array, entry: ZrtpCacheEntry): void {
    const zid = toHex(peerZid);
    // A secret the new entry no longer keeps (rs2 once rs1 moved down, §4.6.1) is wiped now.
    const kept = [entry.rs1, entry.rs2, entry.pbxSecret];
    const old = this.entries.get(zid);
    for (const b of old ? [old.rs1, old.rs2, old.pbxSecret] : []) if (b && !kept.includes(b)) b.fill(0);
    this.entries.set(zid, entry);
    this.persist(zid, {
      rs1: entry.rs1 ? toHex(entry.rs1) : undefined,
      rs2: entry.rs2 ? toHex(entry.rs2) : undefined,
      pbxSecret: entry.pbxSecret ? toHex(entry.pbxSecret) : undefined,
      verified: entry.verified,
    });
  }

  /** Drops the secrets from this thread's memory (the call ended). */
  clear(): void {
    for (const e of this.entries.values()) {
      e.rs1?.fill(0);
      e.rs2?.fill(0);
      e.pbxSecret?.fill(0);
    }
    this.entries.clear();
  }
}

export { toHex, fromHex };
