import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSecretStore } from './secret-store';

const dirs: string[] = [];
function settingsPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-secret-'));
  dirs.push(dir);
  return join(dir, 'settings.json');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('FileSecretStore (the password in settings.json)', () => {
  it('reads nothing from a missing file, then keeps a written password in a 0600 file', () => {
    const path = settingsPath();
    const store = new FileSecretStore(path);
    expect(store.read()).toEqual({ ok: true, secret: '' });
    store.write('s3cret');
    expect(store.read()).toEqual({ ok: true, secret: 's3cret' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('writes only the password: every other setting in the file stays as it was', () => {
    const path = settingsPath();
    writeFileSync(path, JSON.stringify({ account: { username: 'alice', password: 'old' }, sipPort: 5070 }));
    const store = new FileSecretStore(path);
    expect(store.read()).toEqual({ ok: true, secret: 'old' });
    store.clear();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ account: { username: 'alice', password: '' }, sipPort: 5070 });
  });

  it('a file that does not parse is a typed failure to read, and is never overwritten', () => {
    const path = settingsPath();
    writeFileSync(path, '{ not json');
    const store = new FileSecretStore(path);
    const r = store.read();
    expect(r.ok).toBe(false);
    expect(() => store.write('x')).toThrow();
    store.clear();
    expect(readFileSync(path, 'utf8')).toBe('{ not json');
  });
});
