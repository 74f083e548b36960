// Serves the built renderer (out/renderer) read-only, with the same strict CSP the Electron
// shell sets. Paths are resolved inside the root; anything else is a 404. A target that does
// not parse or decode (`/%`, `//[`) is a 400: the handler never rejects.

import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentSecurityPolicy } from '../security/csp';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wav': 'audio/wav',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The file a request path names inside `root`, undefined for a malformed target, null outside the root. */
function fileFor(root: string, target: string | undefined): string | null | undefined {
  let rel: string;
  try {
    const url = new URL(target ?? '/', 'http://127.0.0.1');
    rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    return undefined;
  }
  if (rel.includes('\0')) return undefined;
  const file = normalize(join(root, rel));
  return file.startsWith(root + sep) ? file : null;
}

export function staticHandler(root: string, wsOrigin: () => string, onBadRequest: (what: string) => void = () => undefined) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const file = fileFor(root, req.url);
    if (file === undefined) {
      onBadRequest('HTTP request target does not parse or decode');
      res.writeHead(400).end();
      return;
    }
    if (file === null) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': contentSecurityPolicy({ connectSrc: [wsOrigin()] }),
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      if (res.headersSent) res.destroy();
      else res.writeHead(404).end();
    }
  };
}
