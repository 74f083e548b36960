// Tests only. A stand-in for Electron's `safeStorage`, because Electron cannot run here (no
// binary, no display, no keychain daemon): this is the one place a fake is used instead of the
// real part. It keeps the documented contract of safeStorage (electronjs.org/docs/latest/api/safe-storage):
// encryptString throws while encryption is unavailable, decryptString throws on a ciphertext
// made with another key, getSelectedStorageBackend names the Linux backend. Each fake is one
// keychain with its own random AES-256-GCM key, so "another keychain" really cannot decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageApi } from './keychain-store';

type Backend = ReturnType<SafeStorageApi['getSelectedStorageBackend']>;

export class FakeSafeStorage implements SafeStorageApi {
  private readonly key = randomBytes(32);
  encryptions = 0;

  constructor(
    /** Changeable: the same keychain, judged again (a desktop session without its keyring). */
    public backend: Backend = 'gnome_libsecret',
    private available = true,
  ) {}

  isEncryptionAvailable(): boolean {
    return this.available;
  }

  getSelectedStorageBackend(): Backend {
    return this.backend;
  }

  encryptString(plainText: string): Buffer {
    if (!this.available) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    this.encryptions++;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    // Chromium's OSCrypt prefixes its ciphertexts with a version tag ("v10"/"v11"); so does this.
    return Buffer.concat([Buffer.from('v11'), iv, cipher.getAuthTag(), body]);
  }

  decryptString(encrypted: Buffer): string {
    if (!this.available) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
    try {
      if (encrypted.subarray(0, 3).toString() !== 'v11') throw new Error('no version tag');
      const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(3, 15));
      decipher.setAuthTag(encrypted.subarray(15, 31));
      return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
  }

  /** The keychain went away (locked, daemon stopped). */
  lock(): void {
    this.available = false;
  }

  unlock(): void {
    this.available = true;
  }
}
