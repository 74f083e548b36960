// The browser shell under attack from outside (issue 16): malformed HTTP targets, malformed
// WebSocket frames, a foreign Host (DNS rebinding), replayed launch codes, a second window. Each
// costs only that one connection, is counted, and the shell keeps serving its own window.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { AppCore } from '../core/app-core';
import { startBrowserShell, type BrowserShell } from './server';
import { decodeServerMessage, encodeClientMessage } from '../../shared/wire';
import { decodeShellServerMessage, encodeShellMessage, type ShellServerMessage } from '../../shared/shell-protocol';
import { MEDIA_FRAME_HEADER_BYTES, MEDIA_FRAME_MAX_PAYLOAD } from '../../shared/api';

let dir: string;
let core: AppCore;
let shell: BrowserShell;
const logged: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vouch-shell-hostile-'));
  chmodSync(dir, 0o700);
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Vouch</title>');
  core = new AppCore({ dataDir: join(dir, 'data'), host: '127.0.0.1', sipPort: 0, prestartWorker: false });
  shell = await startBrowserShell(core, { rendererDir: renderer, log: (l) => logged.push(l) });
});
afterAll(async () => {
  await shell.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends raw bytes on a fresh TCP connection; resolves with everything received until the peer closes (bounded). */
function raw(bytes: string | Buffer, ms = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(shell.port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no close within ${ms} ms; got ${JSON.stringify(got.slice(0, 200))}`));
    }, ms);
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
    s.write(bytes);
  });
}

const hostLine = () => `Host: 127.0.0.1:${shell.port}\r\n`;
const upgradeHeaders = (target: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\n${hostLine()}Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

/** Opens an authorized API socket by hand, so the test can then write any bytes at all. */
function handshake(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(shell.port, '127.0.0.1');
    let got = '';
    s.on('error', reject);
    s.on('data', function onData(d) {
      got += d.toString('latin1');
      if (!got.includes('\r\n\r\n')) return;
      s.off('data', onData);
      if (got.startsWith('HTTP/1.1 101')) resolve(s);
      else reject(new Error(`handshake refused: ${got.split('\r\n')[0]}`));
    });
    s.write(upgradeHeaders(`/api?token=${shell.token}`, `Origin: ${shell.origin}\r\n`));
  });
}

function closedWithin(s: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (s.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    s.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function masked(first: number, payload: Buffer): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([Buffer.from([first, 0x80 | payload.length]), mask, body]);
}

function longHeader(length: bigint): Buffer {
  const b = Buffer.alloc(14);
  b[0] = 0x82;
  b[1] = 0x80 | 127;
  b.writeBigUInt64BE(length, 2);
  b.set([1, 2, 3, 4], 10);
  return b;
}

function open(url: string, headers: Record<string, string> = {}, origin = shell.origin): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin, headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

const apiUrl = () => `ws://127.0.0.1:${shell.port}/api?token=${shell.token}`;

async function ping(ws: WebSocket): Promise<boolean> {
  const answer = new Promise<boolean>((resolve) => {
    ws.on('message', (d) => {
      const m = decodeServerMessage(String(d));
      if (m.ok && m.value.kind === 'response' && m.value.id === 99) resolve(m.value.ok);
    });
  });
  ws.send(encodeClientMessage({ kind: 'request', id: 99, command: 'getSettings', args: {} }));
  return answer;
}

async function closeAndWait(ws: WebSocket): Promise<void> {
  if (ws.readyState === ws.CLOSED) return;
  await new Promise<void>((r) => {
    ws.once('close', () => r());
    ws.close();
  });
}

describe('the browser shell survives malformed requests (issue 16)', () => {
  it('answers GET /%, GET //[ and a //[ upgrade without a token with a 4xx and keeps serving', async () => {
    const before = shell.counters.badRequests;
    expect(await raw(`GET /% HTTP/1.1\r\n${hostLine()}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(`GET //[ HTTP/1.1\r\n${hostLine()}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(`GET /%E0%A4%A HTTP/1.1\r\n${hostLine()}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(upgradeHeaders('//['))).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(upgradeHeaders('/%'))).toMatch(/^HTTP\/1\.1 (403|404)/);
    expect(await raw('GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(shell.counters.badRequests).toBeGreaterThanOrEqual(before + 4);
    expect((await fetch(shell.origin + '/')).status).toBe(200);
    expect(logged.some((l) => l.includes('does not parse'))).toBe(true);
  });

  const maxPayload = MEDIA_FRAME_HEADER_BYTES + MEDIA_FRAME_MAX_PAYLOAD;
  const frames: [string, Buffer][] = [
    ['invalid UTF-8 in a text frame', masked(0x81, Buffer.from([0xc3, 0x28, 0xff]))],
    ['RSV1 set without an extension', masked(0xc1, Buffer.from('a'))],
    ['reserved opcode 3', masked(0x83, Buffer.from('a'))],
    ['an unmasked client frame', Buffer.from([0x81, 0x01, 0x61])],
    ['a 2^40-byte length header', longHeader(1n << 40n)],
    ['a payload one byte over the limit', longHeader(BigInt(maxPayload) + 1n)],
  ];
  for (const [name, bytes] of frames) {
    it(`closes only the socket that sent ${name}`, async () => {
      const before = shell.counters.frameErrors;
      const s = await handshake();
      s.on('error', () => undefined);
      s.write(bytes);
      expect(await closedWithin(s, 2000)).toBe(true);
      expect(shell.counters.frameErrors).toBe(before + 1);
      const good = await open(apiUrl());
      if (typeof good === 'number') throw new Error(`the next window was refused: ${good}`);
      expect(await ping(good)).toBe(true);
      await closeAndWait(good);
    });
  }
});

describe('nobody else takes the shell over (issue 16)', () => {
  it('refuses a foreign Host header on HTTP and on the upgrade (DNS rebinding)', async () => {
    expect(await raw(`GET / HTTP/1.1\r\nHost: rebind.example:${shell.port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 403/);
    // No Host at all: Node refuses it (HTTP/1.1 requires one, RFC 9112 §3.2).
    expect(await raw(`GET / HTTP/1.1\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 4\d\d/);
    expect(await open(apiUrl(), { host: `rebind.example:${shell.port}` }, `http://rebind.example:${shell.port}`)).toBe(403);
    expect(await open(apiUrl(), { host: `rebind.example:${shell.port}` })).toBe(403);
    expect((await fetch(`http://localhost:${shell.port}/`)).status).toBe(200);
  });

  it('a launch code buys one HttpOnly SameSite=Strict session, once; the session opens the API from the right origin only', async () => {
    const launcher = shell.createLauncher(dir);
    expect(statSync(launcher).mode & 0o777).toBe(0o600);
    const code = /name="code" value="([^"]+)"/.exec(readFileSync(launcher, 'utf8'))?.[1] ?? '';
    expect(code.length).toBeGreaterThanOrEqual(43);
    const post = (c: string) => fetch(`${shell.origin}/launch`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' }, body: `code=${c}` });
    expect((await post('wrong')).status).toBe(403);
    const first = await post(code);
    expect(first.status).toBe(303);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/; HttpOnly; SameSite=Strict; Path=\//);
    expect(() => statSync(launcher)).toThrow();
    expect((await post(code)).status).toBe(403);
    const session = cookie.split(';')[0];
    const noToken = `ws://127.0.0.1:${shell.port}/api`;
    expect(await open(noToken, { cookie: session }, 'http://127.0.0.1:1')).toBe(403);
    expect(await open(noToken, { cookie: session.replace(/=.*/, '=forged') })).toBe(403);
    const ws = await open(noToken, { cookie: session });
    if (typeof ws === 'number') throw new Error(`session refused: ${ws}`);
    expect(await ping(ws)).toBe(true);
    await closeAndWait(ws);
  });

  it('the launcher page is unreadable for another local user', (ctx) => {
    const why = process.getuid?.() !== 0 ? 'needs root to act as user nobody' : !statSync('/usr/bin/setpriv', { throwIfNoEntry: false }) ? 'needs setpriv (util-linux)' : undefined;
    if (why) {
      if (process.env.CI === 'true') throw new Error(why);
      ctx.skip(why);
    }
    const launcher = shell.createLauncher(dir);
    chmodSync(dir, 0o755);
    try {
      const r = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'cat', launcher], { encoding: 'utf8' });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/Permission denied/);
      expect(r.stdout).toBe('');
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('a second window waits until the first allows or denies it; after the first closes, a reconnect needs nobody', async () => {
    const first = await open(apiUrl());
    if (typeof first === 'number') throw new Error(`refused: ${first}`);
    const prompts: ShellServerMessage[] = [];
    const prompted = (type: ShellServerMessage['type'], n: number) =>
      new Promise<number>((resolve) => {
        const check = () => {
          const hits = prompts.filter((p) => p.type === type);
          if (hits.length >= n) resolve(hits[n - 1].requestId);
        };
        first.on('message', () => check());
        check();
      });
    first.on('message', (d) => {
      const m = decodeShellServerMessage(String(d));
      if (m) prompts.push(m);
    });
    const asked = shell.admission.asked;

    const denied = open(apiUrl());
    const deniedId = await prompted('admission-request', 1);
    first.send(encodeShellMessage({ kind: 'shell', type: 'admission-answer', requestId: deniedId, allow: false }));
    expect(await denied).toBe(403);

    const allowed = open(apiUrl());
    const allowedId = await prompted('admission-request', 2);
    first.send(encodeShellMessage({ kind: 'shell', type: 'admission-answer', requestId: allowedId, allow: true }));
    const second = await allowed;
    if (typeof second === 'number') throw new Error(`allowed window refused: ${second}`);
    expect(await ping(second)).toBe(true);
    expect(shell.admission.asked).toBe(asked + 2);
    expect(prompts.filter((p) => p.type === 'admission-settled').map((p) => p.requestId)).toEqual([deniedId, allowedId]);

    const waiting = open(apiUrl());
    await prompted('admission-request', 3);
    await closeAndWait(first);
    await closeAndWait(second);
    const third = await waiting;
    if (typeof third === 'number') throw new Error(`waiting window refused after the others closed: ${third}`);
    await closeAndWait(third);
    const again = await open(apiUrl());
    if (typeof again === 'number') throw new Error(`reconnect refused: ${again}`);
    await closeAndWait(again);
  });
});
