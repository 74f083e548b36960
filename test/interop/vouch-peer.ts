// A Vouch AppCore on loopback for interop tests: tone audio, IVF video, its api.ts events recorded
// and awaitable. Tests keep a VouchPeers set and close it in afterAll/afterEach.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent, CallInfo, CallStats, SecurityInfo, StreamStats } from '../../src/shared/api';
import { AppCore } from '../../src/main/core/app-core';

export interface VouchPeer {
  core: AppCore;
  dataDir: string;
  events: ApiEvent[];
  /** Resolves with the first recorded event (from index `from` on) that `pick` maps to a value. */
  until<T>(pick: (e: ApiEvent) => T | undefined, ms?: number, from?: number): Promise<T>;
  /** The latest stats of a stream, if any were reported. */
  lastStats(stream: 'audio' | 'video'): StreamStats | undefined;
}

export class VouchPeers {
  private readonly cores: AppCore[] = [];
  private readonly dirs: string[] = [];

  /** A started AppCore; `dataDir` reuses a directory (same ZID) instead of a fresh one. */
  async start(options: { autoAnswer: boolean; dataDir?: string }): Promise<VouchPeer> {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vouch-interop-'));
    if (!options.dataDir) this.dirs.push(dataDir);
    const core = new AppCore({
      dataDir,
      host: '127.0.0.1',
      sipPort: 0,
      io: {
        audioSource: { kind: 'tone', frequencyHz: 1000 },
        audioSink: { kind: 'wav', path: join(dataDir, 'received.wav') },
        videoSource: { kind: 'ivf', path: 'assets/test-vp8.ivf' },
        videoSink: { kind: 'ivf', path: join(dataDir, 'received.ivf') },
        audioCodecs: ['pcmu', 'pcma'],
      },
    });
    this.cores.push(core);
    await core.invoke('updateSettings', { patch: { autoAnswer: options.autoAnswer } });
    await core.start();
    const events: ApiEvent[] = [];
    const waiters = new Set<() => void>();
    core.onEvent((e) => {
      events.push(e);
      for (const w of [...waiters]) w();
    });
    return {
      core,
      dataDir,
      events,
      until<T>(pick: (e: ApiEvent) => T | undefined, ms = 8000, from = 0): Promise<T> {
        return new Promise<T>((resolve, reject) => {
          let next = from;
          const check = (): boolean => {
            for (; next < events.length; next++) {
              const v = pick(events[next]);
              if (v !== undefined) {
                waiters.delete(check);
                clearTimeout(timer);
                resolve(v);
                return true;
              }
            }
            return false;
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`timed out after ${ms} ms waiting for an event; saw: ${summary(events.slice(from))}`));
          }, ms);
          if (!check()) waiters.add(check);
        });
      },
      lastStats(stream) {
        for (let i = events.length - 1; i >= 0; i--) {
          const e = events[i];
          const s = e.type === 'stats' ? e.stats.streams.find((x) => x.stream === stream) : undefined;
          if (s) return s;
        }
        return undefined;
      },
    };
  }

  /** Closes one core early (its data dir stays until closeAll). */
  async stop(peer: VouchPeer): Promise<void> {
    const i = this.cores.indexOf(peer.core);
    if (i >= 0) this.cores.splice(i, 1);
    await peer.core.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.cores.splice(0).map((c) => c.close()));
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}

function summary(events: ApiEvent[]): string {
  return events
    .filter((e) => e.type !== 'stats')
    .map((e) => (e.type === 'security' ? `security:${e.security.state}` : e.type === 'callState' ? `call:${e.call.state}` : e.type === 'error' ? `error:${e.message}` : e.type))
    .join(', ');
}

export const security =
  (pred: (s: SecurityInfo) => boolean) =>
  (e: ApiEvent): SecurityInfo | undefined =>
    e.type === 'security' && pred(e.security) ? e.security : undefined;

export const callState =
  (pred: (c: CallInfo) => boolean) =>
  (e: ApiEvent): CallInfo | undefined =>
    e.type === 'callState' && pred(e.call) ? e.call : undefined;

/** Stats whose `stream` entry passes `pred`. */
export const streamStats =
  (stream: 'audio' | 'video', pred: (s: StreamStats) => boolean) =>
  (e: ApiEvent): CallStats | undefined =>
    e.type === 'stats' && e.stats.streams.some((s) => s.stream === stream && pred(s)) ? e.stats : undefined;
