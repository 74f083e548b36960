// Where the SIP password is kept, and its move between places (issue 22). Under Electron with a
// real keychain the keychain is preferred and a password found in the settings file moves into it;
// elsewhere (CLI, browser shell, Electron on Linux's 'basic_text') the 0600 settings file is.
// A password in the settings file is always the newest one: the keychain is written only after the
// file's copy was moved and cleared, so only a front end without the keychain wrote there since. A
// keychain password moves back to the file only when the file holds none. Nothing saved is lost: a
// store is cleared only after the other reads the password back.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FileSecretStore, type SecretLocation, type SecretRead, type SecretStore } from './secret-store';
import { KEYCHAIN_FILE, KeychainSecretStore, keychainUnusable, type SafeStorageApi } from './keychain-store';

export interface PasswordStores {
  /** Where the password goes. */
  preferred: SecretStore;
  /** Where an older front end may have left one; moved into `preferred` on load. */
  others: readonly SecretStore[];
  /** Why the keychain is not preferred, when one was asked for (shown once, as a startup note). */
  note?: string;
}

export interface SettledPassword {
  password: string;
  /** The store that holds it now, where a changed password goes. */
  store: SecretStore;
  warning?: string;
  /** The store holds a password that could not be read: it stays until the user enters a new one. */
  unreadable: boolean;
}

const WHERE: Record<SecretLocation, string> = { keychain: 'the system keychain', file: 'the settings file' };

export function settlePassword(stores: PasswordStores): SettledPassword {
  const { preferred, others } = stores;
  const warnings: string[] = [];
  const own: SecretRead = preferred.read();
  for (const other of others) {
    // The file's copy is newer than the keychain's, never the other way round (see above).
    if (other.location === 'keychain' && own.ok && own.secret !== '') continue;
    const found = other.read();
    if (!found.ok) {
      warnings.push(`a SIP password kept in ${WHERE[other.location]} cannot be read here (${found.error}); it is kept`);
      continue;
    }
    if (found.secret === '') continue;
    try {
      preferred.write(found.secret);
      const back = preferred.read();
      if (!back.ok || back.secret !== found.secret) throw new Error(back.ok ? 'it read back different' : back.error);
    } catch (e) {
      warnings.push(`the SIP password could not move to ${WHERE[preferred.location]} (${(e as Error).message}); it stays in ${WHERE[other.location]}`);
      return { password: found.secret, store: other, warning: warnings.join('; '), unreadable: false };
    }
    other.clear();
    return { password: found.secret, store: preferred, ...(warnings.length ? { warning: warnings.join('; ') } : {}), unreadable: false };
  }
  if (own.ok) return { password: own.secret, store: preferred, ...(warnings.length ? { warning: warnings.join('; ') } : {}), unreadable: false };
  warnings.push(`the SIP password could not be read (${own.error}); it is kept: enter it again in Settings to replace it`);
  return { password: '', store: preferred, warning: warnings.join('; '), unreadable: true };
}

/**
 * A password the desktop app put in the keychain, seen by a front end that cannot open the
 * keychain (CLI, browser shell): readable only by the app, so it is reported and left alone.
 */
class KeychainOnlyTheAppReads implements SecretStore {
  readonly location = 'keychain';
  constructor(private readonly path: string) {}
  read(): SecretRead {
    return existsSync(this.path) ? { ok: false, error: 'only the desktop app can open the system keychain; give the password here to keep it in the settings file instead' } : { ok: true, secret: '' };
  }
  write(): void {
    throw new Error('the system keychain is open to the desktop app only');
  }
  clear(): void {
    // Left for the desktop app, which moves the password from the settings file over it.
  }
}

/** The CLI and the browser shell: the settings file. */
export function filePasswordStores(dataDir: string, settingsPath: string): PasswordStores {
  return { preferred: new FileSecretStore(settingsPath), others: [new KeychainOnlyTheAppReads(join(dataDir, KEYCHAIN_FILE))] };
}

/** Electron: the keychain when safeStorage has a real backend, else the settings file (and the keychain's old password, when it still decrypts, moves back there). */
export function electronPasswordStores(dataDir: string, settingsPath: string, safeStorage: SafeStorageApi, platform: NodeJS.Platform): PasswordStores {
  const file = new FileSecretStore(settingsPath);
  const keychain = new KeychainSecretStore(dataDir, safeStorage);
  const unusable = keychainUnusable(safeStorage, platform);
  if (unusable) return { preferred: file, others: [keychain], note: `the SIP password stays in the settings file: ${unusable}` };
  return { preferred: keychain, others: [file] };
}
