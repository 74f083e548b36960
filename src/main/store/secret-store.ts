// Where a secret at rest lives (issue 22): the SIP password stays in the 0600 settings file, or
// moves to the OS keychain where a real one exists (Electron's safeStorage, keychain-store.ts).
// The core sees only this interface; the Electron entry injects the keychain, since only Electron
// can reach it.
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-file';

/** In the settings page's words: "in the system keychain" or "in a file only you can read". */
export type SecretLocation = 'keychain' | 'file';

/** '' means nothing is stored; a failure means something is stored that cannot be read now. */
export type SecretRead = { ok: true; secret: string } | { ok: false; error: string };

export interface SecretStore {
  readonly location: SecretLocation;
  read(): SecretRead;
  /** Throws when it cannot keep the secret (the caller keeps the old place then). */
  write(secret: string): void;
  /** Forgets the secret, once it was moved elsewhere. */
  clear(): void;
}

/**
 * The SIP password in the settings file (`account.password` of settings.json, 0600), where it has
 * always been and where the CLI and the browser shell keep it: the one format every front end reads.
 */
export class FileSecretStore implements SecretStore {
  readonly location = 'file';
  constructor(readonly path: string) {}

  read(): SecretRead {
    if (!existsSync(this.path)) return { ok: true, secret: '' };
    const file = this.parse();
    if (!file.ok) return file;
    const account = file.value.account;
    const password = isRecord(account) ? account.password : undefined;
    return { ok: true, secret: typeof password === 'string' ? password : '' };
  }

  write(secret: string): void {
    const file = existsSync(this.path) ? this.parse() : { ok: true as const, value: {} as Record<string, unknown> };
    // A file that does not parse is left for the settings loader to move aside, never overwritten here.
    if (!file.ok) throw new Error(file.error);
    const account = isRecord(file.value.account) ? file.value.account : {};
    writeFileAtomic(this.path, JSON.stringify({ ...file.value, account: { ...account, password: secret } }, null, 2) + '\n');
  }

  clear(): void {
    if (existsSync(this.path) && this.read().ok) this.write('');
  }

  private parse(): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
    try {
      const value = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
      return isRecord(value) ? { ok: true, value } : { ok: false, error: `${this.path} is not a settings object` };
    } catch (e) {
      return { ok: false, error: `${this.path}: ${(e as Error).message}` };
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
