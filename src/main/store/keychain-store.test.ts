// Electron's safeStorage cannot run here: FakeSafeStorage (safe-storage-fake.ts) keeps its contract.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYCHAIN_FILE, KeychainSecretStore, keychainUnusable } from './keychain-store';
import { FakeSafeStorage } from './safe-storage-fake';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-keychain-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('which keychains count', () => {
  it("never Linux's basic_text (a hard-coded key) nor an unknown backend, nor no encryption at all", () => {
    expect(keychainUnusable(new FakeSafeStorage('basic_text'), 'linux')).toMatch(/basic_text/);
    expect(keychainUnusable(new FakeSafeStorage('unknown'), 'linux')).toMatch(/unknown/);
    expect(keychainUnusable(new FakeSafeStorage('gnome_libsecret', false), 'linux')).toMatch(/no system keychain/);
    expect(keychainUnusable(new FakeSafeStorage('gnome_libsecret', false), 'darwin')).toMatch(/no system keychain/);
  });

  it('a secret service on Linux, and the platform keychain elsewhere (the backend is a Linux-only question)', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const) expect(keychainUnusable(new FakeSafeStorage(backend), 'linux')).toBeUndefined();
    expect(keychainUnusable(new FakeSafeStorage('unknown'), 'darwin')).toBeUndefined();
    expect(keychainUnusable(new FakeSafeStorage('unknown'), 'win32')).toBeUndefined();
  });
});

describe('KeychainSecretStore', () => {
  it('keeps only ciphertext on disk, 0600, and reads the password back', () => {
    const dir = dataDir();
    const store = new KeychainSecretStore(dir, new FakeSafeStorage());
    expect(store.read()).toEqual({ ok: true, secret: '' });
    store.write('hunter2-ü');
    const onDisk = readFileSync(join(dir, KEYCHAIN_FILE));
    expect(onDisk.includes(Buffer.from('hunter2'))).toBe(false);
    expect(statSync(join(dir, KEYCHAIN_FILE)).mode & 0o777).toBe(0o600);
    expect(store.read()).toEqual({ ok: true, secret: 'hunter2-ü' });
  });

  it('another keychain cannot decrypt it: a typed failure, and the ciphertext stays', () => {
    const dir = dataDir();
    new KeychainSecretStore(dir, new FakeSafeStorage()).write('pw');
    const before = readFileSync(join(dir, KEYCHAIN_FILE));
    const r = new KeychainSecretStore(dir, new FakeSafeStorage()).read();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/could not decrypt/);
    expect(readFileSync(join(dir, KEYCHAIN_FILE)).equals(before)).toBe(true);
  });

  it('a locked keychain refuses to write instead of writing something unreadable', () => {
    const dir = dataDir();
    const safe = new FakeSafeStorage();
    safe.lock();
    expect(() => new KeychainSecretStore(dir, safe).write('pw')).toThrow(/not available/);
    expect(existsSync(join(dir, KEYCHAIN_FILE))).toBe(false);
  });

  it('writing an empty password removes the file', () => {
    const dir = dataDir();
    const store = new KeychainSecretStore(dir, new FakeSafeStorage());
    store.write('pw');
    store.write('');
    expect(existsSync(join(dir, KEYCHAIN_FILE))).toBe(false);
    expect(store.read()).toEqual({ ok: true, secret: '' });
  });
});
