// Main-side host of media workers. It keeps one worker started ahead of need, so a call never
// waits for a worker thread to boot (ARCHITECTURE.md "Media worker").

import type { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { MainToWorker, PrepareParams, WorkerToMain } from '../worker-protocol';

/**
 * A call's worker allocates little per packet (pooled buffers, node:crypto's outputs), so a small
 * young generation is enough; V8's default lets the start-up warm-up (a whole ZRTP handshake)
 * grow it to 16 MB of semi-spaces that then stay resident: 4 MB saved ~4 MB of RSS per worker,
 * 2 MB ~1.5 MB more (the idle worker's new space 4 -> 2 MB, v8.getHeapSpaceStatistics); an audio
 * call then scavenges every few seconds, each well under a millisecond.
 */
const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 2 };

/**
 * Starts a worker thread on the worker's code. Bundled (out/main/*.js) it is `worker.js` beside
 * this bundle; run from source (vitest, tsx) it is `../worker/worker.ts` (the worker thread's
 * folder), loaded through the tsx loader registered inside the new thread.
 */
export function startWorkerThread(): Worker {
  const here = import.meta.url;
  const options = { resourceLimits: WORKER_RESOURCE_LIMITS };
  // Benchmarks run the source AppCore against the bundled worker (npm run build first).
  const override = process.env.VOUCH_MEDIA_WORKER;
  if (override) return new Worker(pathToFileURL(resolvePath(override)), options);
  if (here.endsWith('.ts')) {
    // From source: register tsx inside the thread, then load worker.ts.
    const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    const entry = new URL('../worker/worker.ts', here).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(boot, { eval: true, ...options });
  }
  const bundled = new URL('./worker.js', here);
  if (!existsSync(fileURLToPath(bundled))) throw new Error(`media worker bundle missing at ${fileURLToPath(bundled)}: run npm run build`);
  return new Worker(bundled, options);
}

/** The audio stream a spare worker opened ahead of a call (worker-protocol.ts 'prepare'). */
export interface PreparedStream {
  /** What it was made for (preparedKey): a call whose init is the same takes it. */
  key: string;
  rtpPort: number;
  rtcpPort: number;
  helloHash: string;
}

/** Equal for a prepared stream and a call's init exactly when the call can take the stream. */
export function preparedKey(p: PrepareParams): string {
  return JSON.stringify([p.zid, p.preferences, p.cacheExpiration ?? null, p.host]);
}

/** How long a spare may take to prepare its stream before it is used without one. */
const PREPARE_TIMEOUT_MS = 5000;

/** A media worker's thread as MediaWorker uses it: a Worker, or a rehearsal's stand-in (call/warm-up.ts). */
export type WorkerThread = EventEmitter & Pick<Worker, 'postMessage' | 'terminate'>;

export class MediaWorker {
  private readonly listeners = new Set<(m: WorkerToMain) => void>();
  readonly ready: Promise<number>;
  /** Its prepared audio stream, once the worker said 'prepared' (MediaWorkerHost.prepareWith). */
  prepared: PreparedStream | undefined;
  private exited = false;

  constructor(readonly worker: WorkerThread) {
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: WorkerToMain) => {
        if (m.type === 'ready') resolve(m.threadId);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`media worker exited (${code}) before it was ready`)));
    });
    // A rejected `ready` nobody awaits must not become an unhandled rejection.
    this.ready.catch(() => undefined);
    worker.on('message', (m: WorkerToMain) => {
      for (const l of this.listeners) l(m);
    });
    worker.on('exit', () => {
      this.exited = true;
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  post(message: MainToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  onMessage(listener: (m: WorkerToMain) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first message that `match` accepts, or rejects after `timeoutMs`. */
  waitFor<T extends WorkerToMain>(match: (m: WorkerToMain) => m is T, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`media worker did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onMessage((m) => {
        if (match(m)) {
          clearTimeout(timer);
          off();
          resolve(m);
        }
      });
    });
  }

  async terminate(): Promise<void> {
    if (this.exited) return;
    await this.worker.terminate();
  }
}

/** How long close() waits for hung-up calls' workers to be released (worker-relay.ts waits 3 s for 'closed'). */
const RELEASE_WAIT_MS = 3500;

/**
 * One worker is started ahead of need, never more (ARCHITECTURE.md "Media worker"): each isolate
 * costs ~20 MB. A call takes the spare; the next spare starts when a call's worker is released
 * (the call is over, so its warm-up, a ZRTP handshake, never competes with a live call for the
 * CPU). A second call while one runs starts its worker on demand.
 */
export class MediaWorkerHost {
  private spare: MediaWorker | undefined;
  private readonly active = new Set<MediaWorker>();
  private closed = false;
  private seq = 0;
  /** What each spare's audio stream is prepared for; none: no stream is prepared. */
  private preparer: (() => PrepareParams | undefined) | undefined;

  constructor(private readonly prestart = true) {
    if (prestart) this.spare = this.spawn();
  }

  private spawn(): MediaWorker {
    return new MediaWorker(startWorkerThread());
  }

  /** Worker threads running now: the calls' and the spare (tests and benchmarks read it). */
  get threads(): number {
    return this.active.size + (this.spare ? 1 : 0);
  }

  /** Hands out the prestarted worker (or starts one when there is none). */
  acquire(): MediaWorker {
    if (this.closed) throw new Error('MediaWorkerHost is closed');
    let w = this.spare && this.spare.alive ? this.spare : this.spawn();
    if (!w.alive) w = this.spawn();
    this.spare = undefined;
    this.active.add(w);
    return w;
  }

  async release(w: MediaWorker): Promise<void> {
    this.active.delete(w);
    await w.terminate();
    if (this.active.size === 0) this.onDrained?.();
    if (this.prestart && !this.closed && !this.spare) this.prepare((this.spare = this.spawn()));
  }

  /**
   * Each spare, once ready, opens the next call's audio stream as `params()` says (issue 23: the
   * 200 to an INVITE then waits for no socket bind and no round trip to the worker).
   */
  prepareWith(params: () => PrepareParams | undefined): void {
    this.preparer = params;
    if (this.spare) this.prepare(this.spare);
  }

  private prepare(w: MediaWorker): void {
    const preparer = this.preparer;
    if (!preparer) return;
    const isPrepared = (m: WorkerToMain): m is Extract<WorkerToMain, { type: 'prepared' }> => m.type === 'prepared';
    void w.ready
      .then(async () => {
        const params = this.spare === w && !this.closed ? preparer() : undefined;
        if (!params) return;
        const done = w.waitFor(isPrepared, PREPARE_TIMEOUT_MS);
        w.post({ type: 'prepare', ...params });
        const m = await done;
        w.prepared = { key: preparedKey(params), rtpPort: m.rtpPort, rtcpPort: m.rtcpPort, helloHash: m.helloHash };
      })
      .catch(() => undefined);
  }

  private onDrained: (() => void) | undefined;

  /** A round trip main -> worker -> main through the spare worker (proves the worker path). */
  async ping(timeoutMs = 5000): Promise<{ roundTripMs: number; threadId: number; pid: number }> {
    if (this.closed) throw new Error('MediaWorkerHost is closed');
    if (!this.spare || !this.spare.alive) this.prepare((this.spare = this.spawn()));
    const w = this.spare;
    await w.ready;
    const seq = ++this.seq;
    const t0 = performance.now();
    const pong = w.waitFor((m): m is Extract<WorkerToMain, { type: 'pong' }> => m.type === 'pong' && m.seq === seq, timeoutMs);
    w.post({ type: 'ping', seq });
    const m = await pong;
    return { roundTripMs: performance.now() - t0, threadId: m.threadId, pid: m.pid };
  }

  /** Resolves once the spare (if there is one) is ready, or could not start. */
  spareReady(): Promise<void> {
    return (this.spare?.ready ?? Promise.resolve()).then(
      () => undefined,
      () => undefined,
    );
  }

  /** One round trip through the spare, if there is one, so the first call's messages run warm code. */
  warmSpare(): void {
    if (this.spare && !this.closed) this.ping().catch(() => undefined);
  }

  /**
   * Ends every worker. A call hung up just before (AppCore.close hangs up every call) is released
   * once its worker has closed its sinks and zeroed its keys (worker-relay.ts, at most 3 s): that
   * is waited for, up to RELEASE_WAIT_MS, since terminating the thread first would leave a WAV or
   * IVF sink without its final header and keys in memory.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.active.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, RELEASE_WAIT_MS);
        this.onDrained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.onDrained = undefined;
    }
    const all = [...this.active, ...(this.spare ? [this.spare] : [])];
    this.active.clear();
    this.spare = undefined;
    await Promise.all(all.map((w) => w.terminate()));
  }
}
