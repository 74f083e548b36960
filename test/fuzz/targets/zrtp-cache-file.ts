// The ZRTP cache file (src/main/store/zrtp-cache-store.ts; RFC 6189 §4.9 retained secrets) loaded
// from disk: a bad file must be moved aside with a warning and a new cache started, never throw.
// Each input is written to a temp folder's zrtp-cache.json and the store opened there.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FuzzTarget } from '../engine';
import { ZRTP_CACHE_FILE, ZrtpCacheStore } from '../../../src/main/store/zrtp-cache-store';

// tmpfs when there is one: the store fsyncs every write, which on a disk caps the rate at ~20/s.
const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'vouch-fuzz-zrtp-cache-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

export const target: FuzzTarget = {
  name: 'zrtp-cache-file',
  sources: ['src/main/store/zrtp-cache-store.ts', 'src/main/store/atomic-file.ts'],
  dictionary: [
    '{', '}', '[', ']', '"', ':', ',', 'null', 'true', 'false', '0', '-1', '1e400', '"__proto__"', '"constructor"', '"version"', '1', '2',
    '"zid"', '"peers"', '"identities"', '"rs1"', '"rs2"', '"verified"', '"pbxSecret"', '"updatedAt"', '"000102030405060708090a0b"',
    '"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"',
  ],
  maxLength: 4096,
  run(input) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, ZRTP_CACHE_FILE), input);
    const store = new ZrtpCacheStore(dir);
    // What a loaded cache is asked first when a call starts.
    for (const zid of Object.keys(store.peers())) store.peer(zid);
  },
};
