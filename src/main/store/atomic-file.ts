// Crash-safe file writes: temp file in the same directory, fsync, rename, fsync the directory.
// A reader sees the old file or the new one, never a torn one. Files are 0600: they hold secrets
// (the SIP password, the ZRTP cache).

import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  }
}

export type ReadJsonResult =
  | { kind: 'missing' }
  | { kind: 'ok'; value: unknown }
  | { kind: 'corrupt'; movedTo: string; error: string };

/** Reads a JSON file; a corrupt one is moved aside (never silently trusted, never deleted). */
export function readJsonOrMoveAside(path: string): ReadJsonResult {
  if (!existsSync(path)) return { kind: 'missing' };
  const text = readFileSync(path, 'utf8');
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown };
  } catch (e) {
    const movedTo = `${path}.corrupt-${Date.now()}`;
    renameSync(path, movedTo);
    return { kind: 'corrupt', movedTo, error: (e as Error).message };
  }
}
