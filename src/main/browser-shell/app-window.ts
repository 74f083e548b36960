// Raising the browser shell's app window (issue 22): a second launch on the same data dir hands
// over to the running shell, whose Chromium window should come to the front, as the Electron
// app's does. A page cannot raise its own window (Chromium ignores window.focus() without a user
// gesture), so the shell starts Chromium with --remote-debugging-pipe and asks it over that pipe:
// Target.activateTarget on the app's page (Chrome DevTools Protocol, Target domain). The pipe is
// fds 3 (to Chromium) and 4 (from it), JSON messages ended by NUL; only this process holds it,
// unlike a debugging port any local user could connect to.
import type { Readable, Writable } from 'node:stream';

/** Replies are small here (no domain is enabled, so no events to speak of); anything larger is dropped. */
const MAX_MESSAGE = 1 << 20;
const REPLY_TIMEOUT_MS = 3000;

export class CdpError extends Error {
  override readonly name = 'CdpError';
}

export class CdpPipe {
  private nextId = 1;
  private buffered = '';
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** Messages that did not parse or were too long (counted, never thrown). */
  dropped = 0;

  constructor(
    private readonly toChromium: Writable,
    fromChromium: Readable,
  ) {
    fromChromium.setEncoding('utf8');
    fromChromium.on('data', (chunk: string) => this.receive(chunk));
    fromChromium.on('error', () => this.failAll('the pipe from Chromium failed'));
    fromChromium.on('close', () => this.failAll('Chromium closed the pipe'));
    toChromium.on('error', () => this.failAll('the pipe to Chromium failed'));
  }

  /** `timeoutMs`: how long to wait for the answer (longer for a Chromium that is still starting). */
  send<T>(method: string, params: Record<string, unknown> = {}, timeoutMs = REPLY_TIMEOUT_MS): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CdpError(`${method}: no answer from Chromium in ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.toChromium.write(JSON.stringify({ id, method, params }) + '\0');
    });
  }

  /** Splits the stream at NULs; a bad or oversized message is counted and skipped. */
  receive(chunk: string): void {
    this.buffered += chunk;
    for (let end = this.buffered.indexOf('\0'); end !== -1; end = this.buffered.indexOf('\0')) {
      const text = this.buffered.slice(0, end);
      this.buffered = this.buffered.slice(end + 1);
      this.dispatch(text);
    }
    if (this.buffered.length > MAX_MESSAGE) {
      this.dropped++;
      this.buffered = '';
    }
  }

  private dispatch(text: string): void {
    let m: unknown;
    try {
      m = JSON.parse(text);
    } catch {
      this.dropped++;
      return;
    }
    if (typeof m !== 'object' || m === null) return void this.dropped++;
    const { id, result, error } = m as { id?: unknown; result?: unknown; error?: { message?: unknown } };
    if (typeof id !== 'number') return; // an event: none is asked for
    const waiter = this.pending.get(id);
    if (!waiter) return;
    this.pending.delete(id);
    if (error) waiter.reject(new CdpError(typeof error.message === 'string' ? error.message : 'Chromium refused the command'));
    else waiter.resolve(result);
  }

  private failAll(why: string): void {
    for (const w of this.pending.values()) w.reject(new CdpError(why));
    this.pending.clear();
  }
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/**
 * Brings the shell's page (the first whose URL starts with `urlPrefix`, the shell's origin) to the
 * front. Resolves to the target raised, or undefined when no such page is open.
 */
export async function raiseAppWindow(cdp: CdpPipe, urlPrefix: string): Promise<string | undefined> {
  const { targetInfos } = await cdp.send<{ targetInfos: TargetInfo[] }>('Target.getTargets');
  const page = targetInfos.find((t) => t.type === 'page' && t.url.startsWith(urlPrefix));
  if (!page) return undefined;
  await cdp.send('Target.activateTarget', { targetId: page.targetId });
  return page.targetId;
}
