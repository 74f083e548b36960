// How Chromium gets in without a secret on its command line (every local user reads `ps`):
// the shell writes a launcher page, 0600 in the 0700 data dir, holding a one-time launch code;
// Chromium is given only that file's path. The page posts the code to /launch, which answers
// with an HttpOnly SameSite=Strict session cookie; the code dies at first use or after
// LAUNCH_CODE_TTL_MS, and the file is removed then.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LAUNCH_PATH = '/launch';
export const LAUNCH_CODE_TTL_MS = 120_000;
const MAX_SESSIONS = 16;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** One-time launch codes and the sessions they were exchanged for. */
export class LaunchCodes {
  private readonly codes: { code: string; expiresAt: number }[] = [];
  private readonly sessions: string[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  issue(): string {
    const code = randomBytes(32).toString('base64url');
    this.codes.push({ code, expiresAt: this.now() + LAUNCH_CODE_TTL_MS });
    return code;
  }

  /** Exchanges a live code for a new session id; the code is dead afterwards, whatever the result. */
  redeem(given: string): string | undefined {
    const t = this.now();
    for (let i = this.codes.length - 1; i >= 0; i--) if (this.codes[i].expiresAt <= t) this.codes.splice(i, 1);
    const i = this.codes.findIndex((c) => sameSecret(c.code, given));
    if (i === -1) return undefined;
    this.codes.splice(i, 1);
    const session = randomBytes(32).toString('base64url');
    this.sessions.push(session);
    if (this.sessions.length > MAX_SESSIONS) this.sessions.shift();
    return session;
  }

  isSession(given: string | undefined): boolean {
    return !!given && this.sessions.some((s) => sameSecret(s, given));
  }
}

/** The session cookie's name: per port, so two shells on one host do not overwrite each other's. */
export function sessionCookieName(port: number): string {
  return `vouch_session_${port}`;
}

export function sessionCookie(port: number, session: string): string {
  return `${sessionCookieName(port)}=${session}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The value of one cookie from a Cookie header (RFC 6265 §5.4 syntax), bounded. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function launcherHtml(launchUrl: string, code: string): string {
  // Inline script is fine here: a file:// page has no CSP, and this page never reaches the shell's origin.
  return `<!doctype html>
<meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>Vouch</title>
<form method="post" action="${launchUrl}"><input type="hidden" name="code" value="${code}"><noscript><button>Open Vouch</button></noscript></form>
<script>document.forms[0].submit()</script>
`;
}

/**
 * Writes the launcher page readable by its owner only. An old file is removed first and the
 * new one created exclusively (O_EXCL), so a planted file or symlink is never written through.
 */
export function writeLauncher(dataDir: string, launchUrl: string, code: string): string {
  const path = join(dataDir, 'launch.html');
  rmSync(path, { force: true });
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, launcherHtml(launchUrl, code));
  } finally {
    closeSync(fd);
  }
  return path;
}

export function removeLauncher(path: string): void {
  rmSync(path, { force: true });
}
