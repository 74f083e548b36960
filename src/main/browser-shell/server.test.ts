// The browser shell's API socket: only the app's own origin with this launch's token gets in,
// and once in, every api.ts request reaches AppCore.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { AppCore } from '../core/app-core';
import { startBrowserShell, type BrowserShell } from './server';
import { decodeServerMessage, encodeClientMessage } from '../../shared/wire';

let dir: string;
let core: AppCore;
let shell: BrowserShell;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vouch-shell-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Vouch</title>');
  core = new AppCore({ dataDir: join(dir, 'data'), host: '127.0.0.1', sipPort: 0 });
  shell = await startBrowserShell(core, { rendererDir: renderer });
});
afterAll(async () => {
  await shell.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(url: string, origin: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

describe('browser shell', () => {
  it('listens on 127.0.0.1 only and serves the renderer with a CSP', async () => {
    expect(shell.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(shell.origin + '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(shell.origin + '/../../etc/passwd')).status).toBe(404);
  });

  it('refuses a missing token, a wrong token and a foreign origin', async () => {
    const base = `ws://127.0.0.1:${shell.port}/api`;
    expect(await open(base, shell.origin)).toBe(403);
    expect(await open(`${base}?token=nope`, shell.origin)).toBe(403);
    expect(await open(`${base}?token=${shell.token}`, 'http://evil.example')).toBe(403);
    expect(await open(`${base}?token=${shell.token}`, 'http://127.0.0.1:1')).toBe(403);
  });

  it('carries requests to AppCore and answers them', async () => {
    const ws = await open(`ws://127.0.0.1:${shell.port}/api?token=${shell.token}`, shell.origin);
    if (typeof ws === 'number') throw new Error(`refused: ${ws}`);
    const answer = new Promise<unknown>((resolve) => ws.on('message', (d) => resolve(decodeServerMessage(String(d)))));
    ws.send(encodeClientMessage({ kind: 'request', id: 7, command: 'ping', args: {} }));
    const r = (await answer) as { ok: boolean; value: { kind: string; id: number; ok: boolean } };
    expect(r.ok).toBe(true);
    expect(r.value).toMatchObject({ kind: 'response', id: 7, ok: true });
    ws.close();
  });
});
