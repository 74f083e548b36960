// `vouch --commands`: api.ts commands as JSON lines on stdin, for scripts driving a running
// CLI (answer a waiting call, hold, swap, transfer). Each line is a request as the wire takes
// it ({"command":"hold","args":{"callId":1,"on":true}}; "kind" and "id" may be left out); each
// answer is one JSON line on stdout: {"event":"response","id":N,"ok":true,"result":...}.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { CommandName } from '../shared/api';
import { decodeClientMessage } from '../shared/wire';

/** What the reader needs: a place to send commands and to print answers. */
export interface CommandTarget {
  invoke(command: CommandName, args: never): Promise<unknown>;
}

/** Longest line taken; a longer one is answered with an error, not buffered. */
const MAX_LINE = 4096;

/** One line in, one answer out (a line that is not a request is answered ok: false). */
export async function runCommandLine(core: CommandTarget, line: string, fallbackId: number): Promise<Record<string, unknown> | undefined> {
  const text = line.trim();
  if (!text) return undefined;
  if (text.length > MAX_LINE) return { event: 'response', id: fallbackId, ok: false, error: { code: 'bad-request', message: `a command line is at most ${MAX_LINE} characters` } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { event: 'response', id: fallbackId, ok: false, error: { code: 'bad-request', message: 'not JSON' } };
  }
  const filled = typeof value === 'object' && value !== null && !Array.isArray(value) ? { kind: 'request', id: fallbackId, ...value } : value;
  const decoded = decodeClientMessage(JSON.stringify(filled));
  if (!decoded.ok) return { event: 'response', id: fallbackId, ok: false, error: { code: 'bad-request', message: decoded.error } };
  const { id, command, args } = decoded.value;
  try {
    const result = await core.invoke(command, args as never);
    return { event: 'response', id, ok: true, result: result ?? null };
  } catch (e) {
    const err = e as { code?: string; message?: string; error?: { code: string; message: string } };
    return { event: 'response', id, ok: false, error: err.error ?? { code: err.code ?? 'internal', message: err.message ?? String(e) } };
  }
}

/**
 * Reads command lines from `input` until it ends; answers go to `print`. One command at a time,
 * in order: "answer 2" then "hold 1 off" means that order, as a script wrote it.
 */
export function readCommands(core: CommandTarget, input: Readable, print: (obj: Record<string, unknown>) => void): () => void {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  let queue: Promise<void> = Promise.resolve();
  lines.on('line', (line) => {
    const id = ++n;
    queue = queue.then(async () => {
      const answer = await runCommandLine(core, line, id);
      if (answer) print(answer);
    });
  });
  return () => lines.close();
}
