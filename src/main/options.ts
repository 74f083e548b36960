// Options every front end shares: the data directory (--data-dir, VOUCH_DATA_DIR, then a
// per-front-end default). Two instances never share one: the ZID lives there.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultDataDir(): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'vouch');
}

/** Reads `--name value` or `--name=value` from argv. */
export function argValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}`) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

export function hasFlag(argv: readonly string[], name: string): boolean {
  return argv.includes(`--${name}`);
}

export function resolveDataDir(argv: readonly string[], fallback: () => string = defaultDataDir): string {
  const dir = argValue(argv, 'data-dir') ?? process.env.VOUCH_DATA_DIR ?? fallback();
  return resolve(dir);
}
