// The SIP password in the OS keychain through Electron's safeStorage (issue 22). safeStorage only
// encrypts: the key lives in the keychain (macOS Keychain, Windows DPAPI, libsecret/KWallet on
// Linux), the ciphertext in a 0600 file in the data dir. No 'electron' import here: the Electron
// entry passes `safeStorage` in, so the core and its tests run without Electron.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file';
import type { SecretRead, SecretStore } from './secret-store';

export const KEYCHAIN_FILE = 'sip-password.keychain';

/** The part of Electron's `safeStorage` used here, with its documented contract. */
export interface SafeStorageApi {
  isEncryptionAvailable(): boolean;
  /**
   * Linux only: which secret store backs the key. 'basic_text' is a hard-coded key, no protection
   * at all, so a password there is no safer than in the 0600 file.
   */
  getSelectedStorageBackend(): 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';
  encryptString(plainText: string): Buffer;
  /** Throws when the ciphertext is not this keychain's (another key, a damaged file). */
  decryptString(encrypted: Buffer): string;
}

/** Why the keychain is not used, or undefined when it is a real one. */
export function keychainUnusable(safeStorage: SafeStorageApi, platform: NodeJS.Platform): string | undefined {
  if (!safeStorage.isEncryptionAvailable()) return 'no system keychain is available';
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') return `the system keychain is '${backend}' (no secret service such as GNOME Keyring or KWallet)`;
  }
  return undefined;
}

export class KeychainSecretStore implements SecretStore {
  readonly location = 'keychain';
  readonly path: string;

  constructor(
    dataDir: string,
    private readonly safeStorage: SafeStorageApi,
  ) {
    this.path = join(dataDir, KEYCHAIN_FILE);
  }

  read(): SecretRead {
    if (!existsSync(this.path)) return { ok: true, secret: '' };
    try {
      return { ok: true, secret: this.safeStorage.decryptString(readFileSync(this.path)) };
    } catch (e) {
      return { ok: false, error: `the system keychain could not decrypt ${this.path}: ${(e as Error).message}` };
    }
  }

  write(secret: string): void {
    if (secret === '') {
      this.clear();
      return;
    }
    writeFileAtomic(this.path, this.safeStorage.encryptString(secret));
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }
}
