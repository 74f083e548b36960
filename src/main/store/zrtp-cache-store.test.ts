import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZrtpCacheStore } from './zrtp-cache-store';

const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vouch-zc-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const PEER = '0123456789abcdef01234567';

describe('ZrtpCacheStore', () => {
  it('creates one ZID per data directory and keeps it across restarts, in a 0600 file', () => {
    const dir = newDir();
    const a = new ZrtpCacheStore(dir);
    expect(a.zid).toMatch(/^[0-9a-f]{24}$/);
    expect(statSync(a.path).mode & 0o777).toBe(0o600);
    expect(new ZrtpCacheStore(dir).zid).toBe(a.zid);
    expect(new ZrtpCacheStore(newDir()).zid).not.toBe(a.zid);
  });

  it('persists rs1/rs2 and the verified flag per peer ZID', () => {
    const dir = newDir();
    const a = new ZrtpCacheStore(dir);
    a.setPeer(PEER, { rs1: 'aa'.repeat(32), rs2: 'bb'.repeat(32), verified: false });
    a.setVerified(PEER, true);
    const b = new ZrtpCacheStore(dir);
    expect(b.peer(PEER)).toMatchObject({ rs1: 'aa'.repeat(32), rs2: 'bb'.repeat(32), verified: true });
  });

  it('reports a new identity when a known SIP address shows another ZID', () => {
    const s = new ZrtpCacheStore(newDir());
    expect(s.recordIdentity('sip:bob@127.0.0.1', PEER)).toBeUndefined();
    expect(s.recordIdentity('sip:bob@127.0.0.1', PEER)).toBeUndefined();
    expect(s.recordIdentity('sip:bob@127.0.0.1', 'ff'.repeat(12))).toBe(PEER);
  });

  it('moves a corrupt cache aside with a warning instead of trusting it', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'zrtp-cache.json'), '{"version":1,"zid":');
    const s = new ZrtpCacheStore(dir);
    expect(s.warning).toMatch(/corrupt/);
    expect(readdirSync(dir).some((f) => f.startsWith('zrtp-cache.json.corrupt-'))).toBe(true);
  });

  it('refuses an entry with a malformed secret', () => {
    const dir = newDir();
    const s = new ZrtpCacheStore(dir);
    const raw = JSON.parse(readFileSync(s.path, 'utf8'));
    raw.peers[PEER] = { rs1: 'zz', verified: true, updatedAt: 1 };
    writeFileSync(s.path, JSON.stringify(raw));
    const again = new ZrtpCacheStore(dir);
    expect(again.warning).toMatch(/invalid/);
    expect(again.peer(PEER)).toBeUndefined();
  });
});
