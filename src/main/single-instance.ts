// One running Vouch per data dir, whichever front end (Electron, browser shell, CLI) (issue 22).
// The first launch listens on a Unix socket in the data dir, mode 0600 (only this user may hand it
// anything). A later launch on the same data dir connects, hands over the sip: URI it was started
// with (a URL handler's click, `vouch call sip:…`) or none (just focus), reads the answer and exits 0.
// A socket left by a crashed instance refuses connections: it is removed and taken over.
//
// Wire: one JSON line each way. Request {"uri": "sip:…" | null}; answer {"ok": true, "detail"?: …}
// or {"ok": false, "error": "…"}. A line that does not parse gets a typed error back, never a throw.
import { chmodSync, mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

export const SOCKET_NAME = 'instance.sock';
/** sun_path is 108 bytes on Linux (107 + NUL), 104 on macOS. */
const MAX_SOCKET_PATH = 103;
const MAX_LINE = 4096;

export interface Handover {
  /** The sip:/sips: URI to call, or undefined: only show the window. */
  readonly uri: string | undefined;
}

export type HandoverAnswer = { ok: true; detail?: string } | { ok: false; error: string };

export type HandoverParse = { ok: true; handover: Handover } | { ok: false; error: 'not-json' | 'not-an-object' | 'bad-uri' | 'too-long' };

/** Parses a handover request line; never throws. */
export function parseHandover(line: string): HandoverParse {
  if (line.length > MAX_LINE) return { ok: false, error: 'too-long' };
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not-json' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'not-an-object' };
  const uri = (v as { uri?: unknown }).uri;
  if (uri === null || uri === undefined) return { ok: true, handover: { uri: undefined } };
  // RFC 3261 §19.1.1: a SIP URI starts with its scheme; nothing else is ours to call.
  if (typeof uri !== 'string' || !/^sips?:[^\s]+$/i.test(uri)) return { ok: false, error: 'bad-uri' };
  return { ok: true, handover: { uri } };
}

export type InstanceClaim =
  | { kind: 'primary'; socketPath: string; close(): Promise<void> }
  | { kind: 'handed-over'; socketPath: string; answer: HandoverAnswer }
  /** The data dir's path is too long for a Unix socket: run without the guard, say so. */
  | { kind: 'unguarded'; reason: string; close(): Promise<void> };

export type HandoverHandler = (h: Handover) => Promise<HandoverAnswer>;

function readLine(socket: Socket, onLine: (line: string) => void): void {
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buf += chunk;
    const nl = buf.indexOf('\n');
    if (nl !== -1) {
      socket.removeAllListeners('data');
      onLine(buf.slice(0, nl));
    } else if (buf.length > MAX_LINE) {
      socket.destroy();
    }
  });
  socket.on('error', () => socket.destroy());
}

/** Connects and hands over; undefined when nobody listens there (no socket, or a stale one). */
function handOver(socketPath: string, uri: string | undefined): Promise<HandoverAnswer | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection(socketPath);
    socket.once('error', (e: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(e.code === 'ECONNREFUSED' || e.code === 'ENOENT' ? undefined : { ok: false, error: `${socketPath}: ${e.message}` });
    });
    socket.once('connect', () => {
      socket.write(JSON.stringify({ uri: uri ?? null }) + '\n');
      readLine(socket, (line) => {
        socket.end();
        try {
          const a = JSON.parse(line) as HandoverAnswer;
          resolve(a && typeof a.ok === 'boolean' ? a : { ok: false, error: 'unreadable answer' });
        } catch {
          resolve({ ok: false, error: 'unreadable answer' });
        }
      });
    });
  });
}

function listen(socketPath: string, onHandover: HandoverHandler): Promise<Server | NodeJS.ErrnoException> {
  const server = createServer((socket) => {
    readLine(socket, (line) => {
      const parsed = parseHandover(line);
      const answer = parsed.ok ? onHandover(parsed.handover).catch((e: Error): HandoverAnswer => ({ ok: false, error: e.message })) : Promise.resolve<HandoverAnswer>({ ok: false, error: parsed.error });
      void answer.then((a) => socket.end(JSON.stringify(a) + '\n'));
    });
  });
  return new Promise((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e));
    server.listen(socketPath, () => {
      // The data dir is 0700 already; the socket is this user's alone all the same.
      chmodSync(socketPath, 0o600);
      resolve(server);
    });
  });
}

/**
 * Becomes the data dir's instance, or hands `uri` to the one already running there. The caller
 * of a 'handed-over' claim exits 0 (or 1 when the answer is not ok); a 'primary' one closes the
 * claim on shutdown.
 */
export async function claimInstance(dataDir: string, uri: string | undefined, onHandover: HandoverHandler): Promise<InstanceClaim> {
  const socketPath = join(dataDir, SOCKET_NAME);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) return { kind: 'unguarded', reason: `data dir path too long for a Unix socket (${socketPath})`, close: async () => undefined };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Two tries: a stale socket is removed once; losing a race to another new instance means it is the one.
  for (let attempt = 0; attempt < 2; attempt++) {
    const answer = await handOver(socketPath, uri);
    if (answer) return { kind: 'handed-over', socketPath, answer };
    const r = await listen(socketPath, onHandover);
    if (!(r instanceof Error)) {
      const server = r;
      return {
        kind: 'primary',
        socketPath,
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
          }),
      };
    }
    if (r.code !== 'EADDRINUSE') throw r;
    // Nobody answered but the name is taken: a socket left by a crash (or a racing launch, which the next try reaches).
    const again = await handOver(socketPath, uri);
    if (again) return { kind: 'handed-over', socketPath, answer: again };
    try {
      unlinkSync(socketPath);
    } catch {
      // gone already
    }
  }
  throw new Error(`could not claim ${socketPath}`);
}
