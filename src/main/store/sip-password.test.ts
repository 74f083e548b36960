// The SIP password's move between the settings file and the keychain, through the real
// SettingsStore and files. Electron's safeStorage cannot run here: FakeSafeStorage keeps its contract.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings, mergeSettings, SETTINGS_FILE, SettingsStore } from './settings';
import { KEYCHAIN_FILE } from './keychain-store';
import { electronPasswordStores } from './sip-password';
import { FakeSafeStorage } from './safe-storage-fake';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-sip-password-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const fileAccount = (dir: string) => (JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8')) as { account: { password: string; username: string } }).account;
const electron = (dir: string, safe: FakeSafeStorage, platform: NodeJS.Platform = 'linux') => new SettingsStore(dir, (path) => electronPasswordStores(dir, path, safe, platform));
const cliOrShell = (dir: string) => new SettingsStore(dir);
const withPassword = (password: string) => mergeSettings(defaultSettings(), { account: { username: 'alice', password } });

describe('SIP password: settings file <-> system keychain', () => {
  it('the first Electron start with a real keychain moves the file password into it; the file keeps everything else', () => {
    const dir = dataDir();
    cliOrShell(dir).save(withPassword('from-the-cli'));
    const safe = new FakeSafeStorage('gnome_libsecret');
    const store = electron(dir, safe);
    const loaded = store.load();
    expect(loaded.settings.account.password).toBe('from-the-cli');
    expect(loaded.warning).toBeUndefined();
    expect(store.passwordLocation).toBe('keychain');
    expect(fileAccount(dir)).toMatchObject({ username: 'alice', password: '' });
    expect(readFileSync(join(dir, SETTINGS_FILE), 'utf8')).not.toContain('from-the-cli');
    // And it stays there on the next start, with nothing moved again.
    const again = electron(dir, safe);
    expect(again.load().settings.account.password).toBe('from-the-cli');
    expect(safe.encryptions).toBe(1);
  });

  it("Electron on Linux's basic_text keeps the password in the file and says why", () => {
    const dir = dataDir();
    cliOrShell(dir).save(withPassword('pw'));
    const store = electron(dir, new FakeSafeStorage('basic_text'));
    const loaded = store.load();
    expect(store.passwordLocation).toBe('file');
    expect(loaded.settings.account.password).toBe('pw');
    expect(loaded.warning).toMatch(/stays in the settings file: .*basic_text/);
    expect(existsSync(join(dir, KEYCHAIN_FILE))).toBe(false);
    expect(fileAccount(dir).password).toBe('pw');
  });

  it('a password saved under Electron goes to the keychain only; changing other settings does not rewrite it', () => {
    const dir = dataDir();
    const safe = new FakeSafeStorage();
    const store = electron(dir, safe);
    const { settings } = store.load();
    store.save(mergeSettings(settings, { account: { password: 'new-pw' } }));
    expect(fileAccount(dir).password).toBe('');
    store.save(mergeSettings(mergeSettings(settings, { account: { password: 'new-pw' } }), { autoAnswer: true }));
    expect(safe.encryptions).toBe(1);
    expect(electron(dir, safe).load().settings.account.password).toBe('new-pw');
  });

  it('moves back: a keychain password goes to the file when the keychain is no longer a real one but still decrypts', () => {
    const dir = dataDir();
    const safe = new FakeSafeStorage('kwallet5');
    const first = electron(dir, safe);
    first.save(mergeSettings(first.load().settings, { account: { password: 'kept' } }));
    expect(existsSync(join(dir, KEYCHAIN_FILE))).toBe(true);
    // The same keychain's key, now reported as basic_text: the file is preferred again.
    safe.backend = 'basic_text';
    const store = electron(dir, safe);
    const loaded = store.load();
    expect(loaded.settings.account.password).toBe('kept');
    expect(store.passwordLocation).toBe('file');
    expect(fileAccount(dir).password).toBe('kept');
    expect(existsSync(join(dir, KEYCHAIN_FILE))).toBe(false);
  });

  it('a keychain password that fails to decrypt is kept on disk, reported, and not overwritten by saving other settings', () => {
    const dir = dataDir();
    const first = electron(dir, new FakeSafeStorage());
    first.save(mergeSettings(first.load().settings, { account: { password: 'old' } }));
    const blob = readFileSync(join(dir, KEYCHAIN_FILE));
    const other = electron(dir, new FakeSafeStorage()); // another keychain: another key
    const loaded = other.load();
    expect(loaded.settings.account.password).toBe('');
    expect(loaded.warning).toMatch(/could not be read .*could not decrypt.*it is kept/);
    other.save(mergeSettings(loaded.settings, { autoAnswer: true }));
    expect(readFileSync(join(dir, KEYCHAIN_FILE)).equals(blob)).toBe(true);
    // A new password entered replaces it.
    other.save(mergeSettings(loaded.settings, { account: { password: 'typed-again' } }));
    expect(readFileSync(join(dir, KEYCHAIN_FILE)).equals(blob)).toBe(false);
  });

  it('the CLI sees a keychain password it cannot open: reported, kept; a password it is given goes to the file and wins at the next Electron start', () => {
    const dir = dataDir();
    const safe = new FakeSafeStorage();
    const app = electron(dir, safe);
    app.save(mergeSettings(app.load().settings, { account: { password: 'in-keychain' } }));
    const cli = cliOrShell(dir);
    const seen = cli.load();
    expect(cli.passwordLocation).toBe('file');
    expect(seen.settings.account.password).toBe('');
    expect(seen.warning).toMatch(/only the desktop app can open the system keychain/);
    cli.save(mergeSettings(seen.settings, { account: { password: 'newer' } }));
    expect(existsSync(join(dir, KEYCHAIN_FILE))).toBe(true);
    const back = electron(dir, safe);
    expect(back.load().settings.account.password).toBe('newer');
    expect(fileAccount(dir).password).toBe('');
    expect(electron(dir, safe).load().settings.account.password).toBe('newer');
  });

  it('a locked keychain: the file password stays in the file, nothing is lost, the move is retried next time', () => {
    const dir = dataDir();
    cliOrShell(dir).save(withPassword('pw'));
    const safe = new FakeSafeStorage('gnome_libsecret', false);
    const locked = electron(dir, safe);
    expect(locked.load().settings.account.password).toBe('pw');
    expect(locked.passwordLocation).toBe('file');
    expect(fileAccount(dir).password).toBe('pw');
  });

  it('a write the keychain refuses leaves the password where it was and names the field', () => {
    const dir = dataDir();
    const safe = new FakeSafeStorage();
    const store = electron(dir, safe);
    const { settings } = store.load();
    store.save(mergeSettings(settings, { account: { password: 'one' } }));
    safe.lock();
    expect(() => store.save(mergeSettings(settings, { account: { password: 'two' } }))).toThrow(/account.password: could not be kept in the system keychain/);
    safe.unlock();
    expect(electron(dir, safe).load().settings.account.password).toBe('one');
    expect(fileAccount(dir).password).toBe('');
  });
});
