// The browser shell: the built renderer on 127.0.0.1 (random port) and the AppCore API over a
// WebSocket. No logic of its own beyond who may connect: it carries api.ts messages both ways.
//
// Who may connect: the Host header must name this shell (DNS rebinding), the Origin must be the
// shell's own, and the window must hold either the per-launch token (printed on stdout for the
// user's own scripts) or the session cookie its launcher page obtained (launch.ts). A second
// window waits until a connected one allows it (admission.ts).
//
// Failure stays local: a malformed request gets a 4xx, a malformed frame or a throwing handler
// closes that one socket, and each is counted (`counters`) and logged. Nothing reaches the process.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { AppCore } from '../core/app-core';
import { decodeClientMessage, decodeMediaFrame, encodeMediaFrame, encodeServerMessage, MAX_TEXT_MESSAGE_BYTES } from '../../shared/wire';
import { MEDIA_FRAME_HEADER_BYTES, MEDIA_FRAME_MAX_PAYLOAD } from '../../shared/api';
import { decodeShellClientMessage, encodeShellMessage } from '../../shared/shell-protocol';
import { staticHandler } from './static-files';
import { ClientAdmission, type AdmissionCounts } from './admission';
import { cookieValue, LAUNCH_CODE_TTL_MS, LAUNCH_PATH, LaunchCodes, removeLauncher, sessionCookie, sessionCookieName, writeLauncher } from './launch';

export const API_PATH = '/api';
const MAX_LAUNCH_BODY = 1024;

/** Every refused or failed request, socket and handler, by kind. */
export interface ShellCounters {
  /** HTTP requests answered 4xx for their form (bad URL, bad Host, unparsable request). */
  badRequests: number;
  /** WebSocket upgrades refused (path, Host, Origin, credentials, admission). */
  refusedUpgrades: number;
  /** Launch codes refused (unknown, used or expired). */
  refusedLaunches: number;
  /** WebSocket protocol errors (bad frame, over size): that socket was closed. */
  frameErrors: number;
  /** Errors on a raw TCP socket (reset, write after end). */
  socketErrors: number;
  /** A handler threw: its request got a 4xx/5xx or its socket was closed. */
  handlerErrors: number;
}

export interface BrowserShell {
  url: string;
  origin: string;
  port: number;
  token: string;
  counters: ShellCounters;
  admission: AdmissionCounts;
  /** Writes a 0600 launcher page with a fresh one-time code into `dir`; returns its path. */
  createLauncher(dir: string): string;
  close(): Promise<void>;
}

export interface BrowserShellOptions {
  rendererDir: string;
  port?: number;
  host?: string;
  /** One line per refused or failed request (default: stderr). Never given a secret. */
  log?: (line: string) => void;
  /** A window connected (for the `listening`-style status line of browser.ts). */
  onClient?: (connected: number) => void;
}

function sameSecret(given: string | null, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request target as a URL, or undefined when it does not parse (`//[`, bare `%`). */
function target(url: string | undefined): URL | undefined {
  try {
    return new URL(url ?? '/', 'http://127.0.0.1');
  } catch {
    return undefined;
  }
}

function refuseUpgrade(socket: Duplex, status: 400 | 403 | 404): void {
  const text = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' }[status];
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}

function toBytes(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
}

export async function startBrowserShell(core: AppCore, options: BrowserShellOptions): Promise<BrowserShell> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const token = randomBytes(24).toString('base64url');
  const counters: ShellCounters = { badRequests: 0, refusedUpgrades: 0, refusedLaunches: 0, frameErrors: 0, socketErrors: 0, handlerErrors: 0 };
  const codes = new LaunchCodes();
  const launchers = new Set<string>();
  let origin = '';
  let port = 0;
  let hosts = new Set<string>();
  let origins = new Set<string>();

  const note = (counter: keyof ShellCounters, what: string): void => {
    counters[counter]++;
    log(`vouch: shell: ${what} (${counter} ${counters[counter]})`);
  };
  const why = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

  const serveStatic = staticHandler(options.rendererDir, () => origin.replace(/^http/, 'ws'), (what) => note('badRequests', what));

  /** POST /launch: a one-time code from the launcher page becomes a session cookie. */
  const launch = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    let body = '';
    let tooLong = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (tooLong) return;
      body += chunk;
      if (body.length > MAX_LAUNCH_BODY) {
        tooLong = true;
        note('badRequests', 'launch body too long');
        res.writeHead(413, { connection: 'close' }).end();
      }
    });
    req.on('end', () => {
      if (tooLong) return;
      const session = codes.redeem(new URLSearchParams(body).get('code') ?? '');
      if (!session) {
        note('refusedLaunches', 'launch code unknown, used or expired');
        res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('This launch page was already used or has expired. Start Vouch again.\n');
        return;
      }
      for (const p of launchers) removeLauncher(p);
      launchers.clear();
      res.writeHead(303, { location: '/', 'set-cookie': sessionCookie(port, session), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
    });
  };

  const server: Server = createServer((req, res) => {
    res.on('error', () => undefined);
    try {
      if (!hosts.has(req.headers.host ?? '')) {
        note('badRequests', 'HTTP request for another Host');
        res.writeHead(403, { connection: 'close' }).end();
        return;
      }
      const url = target(req.url);
      if (!url) {
        note('badRequests', 'HTTP request target does not parse');
        res.writeHead(400, { connection: 'close' }).end();
        return;
      }
      if (url.pathname === LAUNCH_PATH) launch(req, res);
      else void serveStatic(req, res);
    } catch (e) {
      note('handlerErrors', `HTTP handler threw: ${why(e)}`);
      if (!res.headersSent) res.writeHead(500, { connection: 'close' }).end();
      else res.destroy();
    }
  });
  server.on('clientError', (e: Error, socket: Duplex) => {
    note('badRequests', `unparsable HTTP request: ${e.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: Math.max(MAX_TEXT_MESSAGE_BYTES, MEDIA_FRAME_HEADER_BYTES + MEDIA_FRAME_MAX_PAYLOAD) });
  const admission = new ClientAdmission<WebSocket>((ws, message) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeShellMessage(message));
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (e) => note('socketErrors', `upgrade socket: ${e.message}`));
    try {
      const url = target(req.url);
      if (!url || url.pathname !== API_PATH) {
        note('refusedUpgrades', url ? 'upgrade for another path' : 'upgrade target does not parse');
        refuseUpgrade(socket, url ? 404 : 400);
        return;
      }
      if (!hosts.has(req.headers.host ?? '') || !origins.has(req.headers.origin ?? '')) {
        note('refusedUpgrades', 'upgrade from another Host or Origin');
        refuseUpgrade(socket, 403);
        return;
      }
      const authorized = sameSecret(url.searchParams.get('token'), token) || codes.isSession(cookieValue(req.headers.cookie, sessionCookieName(port)));
      if (!authorized) {
        note('refusedUpgrades', 'upgrade without a valid token or session');
        refuseUpgrade(socket, 403);
        return;
      }
      const requestId = admission.arrive({
        admit: () => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws)),
        refuse: () => {
          note('refusedUpgrades', 'another window was not allowed in');
          refuseUpgrade(socket, 403);
        },
      });
      if (requestId) socket.once('close', () => admission.withdraw(requestId));
    } catch (e) {
      note('handlerErrors', `upgrade handler threw: ${why(e)}`);
      refuseUpgrade(socket, 400);
    }
  });

  wss.on('connection', (ws: WebSocket) => {
    // ws reports a protocol violation (bad UTF-8, RSV1, unknown opcode, unmasked frame, size) here, then closes the socket.
    ws.on('error', (e) => note('frameErrors', `API socket: ${e.message}`));
    const fail = (e: unknown): void => {
      note('handlerErrors', `API socket handler threw: ${why(e)}`);
      ws.close(1011, 'internal error');
    };
    const offEvent = core.onEvent((event) => {
      try {
        ws.send(encodeServerMessage({ kind: 'event', event }));
      } catch (e) {
        fail(e);
      }
    });
    const offFrame = core.onMediaFrame((frame) => {
      try {
        ws.send(encodeMediaFrame(frame));
      } catch (e) {
        fail(e);
      }
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      try {
        onMessage(ws, toBytes(data), isBinary);
      } catch (e) {
        fail(e);
      }
    });
    ws.on('close', () => {
      offEvent();
      offFrame();
      admission.leave(ws);
      options.onClient?.(admission.memberCount);
    });
    admission.join(ws);
    options.onClient?.(admission.memberCount);
  });

  function onMessage(ws: WebSocket, bytes: Buffer, isBinary: boolean): void {
    if (isBinary) {
      const frame = decodeMediaFrame(bytes);
      if (frame.ok) core.acceptMediaFrame(frame.value);
      return;
    }
    const text = bytes.toString('utf8');
    const req = decodeClientMessage(text);
    if (!req.ok) {
      const answer = decodeShellClientMessage(text);
      if (answer) admission.answer(answer.requestId, answer.allow);
      else ws.send(encodeServerMessage({ kind: 'event', event: { type: 'error', scope: 'app', code: 'bad-request', message: req.error } }));
      return;
    }
    core.handle(req.value).then(
      (res) => {
        if (ws.readyState === ws.OPEN) ws.send(encodeServerMessage(res));
      },
      (e: unknown) => fail(e),
    );
    function fail(e: unknown): void {
      note('handlerErrors', `request handler threw: ${why(e)}`);
      ws.close(1011, 'internal error');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  server.on('error', (e) => log(`vouch: shell: server error: ${e.message}`));
  port = (server.address() as AddressInfo).port;
  const hostName = host.includes(':') ? `[${host}]` : host;
  origin = `http://${hostName}:${port}`;
  hosts = new Set([`${hostName}:${port}`, ...(host === '127.0.0.1' || host === '::1' ? [`localhost:${port}`] : [])]);
  origins = new Set([...hosts].map((h) => `http://${h}`));
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    counters,
    admission: admission.counts,
    createLauncher(dir: string): string {
      const path = writeLauncher(dir, origin + LAUNCH_PATH, codes.issue());
      launchers.add(path);
      setTimeout(() => {
        if (launchers.delete(path)) removeLauncher(path);
      }, LAUNCH_CODE_TTL_MS).unref();
      return path;
    },
    close: async () => {
      for (const p of launchers) removeLauncher(p);
      admission.close();
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
