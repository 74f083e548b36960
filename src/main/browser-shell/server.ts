// The browser shell: the built renderer on 127.0.0.1 (random port) and the AppCore API over a
// WebSocket. A per-launch secret token guards the socket; other origins are refused. No logic of
// its own: it carries api.ts messages both ways.

import { createServer, type Server } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppCore } from '../core/app-core';
import { decodeClientMessage, decodeMediaFrame, encodeMediaFrame, encodeServerMessage, MAX_TEXT_MESSAGE_BYTES } from '../../shared/wire';
import { MEDIA_FRAME_HEADER_BYTES, MEDIA_FRAME_MAX_PAYLOAD } from '../../shared/api';
import { staticHandler } from './static-files';

export const API_PATH = '/api';

export interface BrowserShell {
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startBrowserShell(core: AppCore, options: { rendererDir: string; port?: number; host?: string }): Promise<BrowserShell> {
  const host = options.host ?? '127.0.0.1';
  const token = randomBytes(24).toString('base64url');
  let origin = '';
  const server: Server = createServer(staticHandler(options.rendererDir, () => origin.replace(/^http/, 'ws')));
  const wss = new WebSocketServer({ noServer: true, maxPayload: Math.max(MAX_TEXT_MESSAGE_BYTES, MEDIA_FRAME_HEADER_BYTES + MEDIA_FRAME_MAX_PAYLOAD) });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const ok = url.pathname === API_PATH && req.headers.origin === origin && tokenMatches(url.searchParams.get('token'), token);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws: WebSocket) => {
    const offEvent = core.onEvent((event) => ws.send(encodeServerMessage({ kind: 'event', event })));
    const offFrame = core.onMediaFrame((frame) => ws.send(encodeMediaFrame(frame)));
    ws.on('message', (data, isBinary) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary) {
        const frame = decodeMediaFrame(bytes);
        if (frame.ok) core.acceptMediaFrame(frame.value);
        return;
      }
      const req = decodeClientMessage(bytes.toString('utf8'));
      if (!req.ok) {
        ws.send(encodeServerMessage({ kind: 'event', event: { type: 'error', scope: 'app', code: 'bad-request', message: req.error } }));
        return;
      }
      void core.handle(req.value).then((res) => {
        if (ws.readyState === ws.OPEN) ws.send(encodeServerMessage(res));
      });
    });
    ws.on('close', () => {
      offEvent();
      offFrame();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host}:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
