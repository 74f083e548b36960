// A Vouch instance (AppCore) for interop tests: SIP and media on 127.0.0.1, a tone and the test
// VP8 clip as sources, WAV and IVF files as sinks, and every API event kept for the test to wait on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent, CallInfo, MediaSecurityPolicy, SecurityInfo, StreamStats } from '../../../src/shared/api';
import { AppCore } from '../../../src/main/core/app-core';

export interface VouchPeer {
  core: AppCore;
  dataDir: string;
  /** Where the call's received audio and video are written. */
  receivedWav: string;
  receivedIvf: string;
  events: ApiEvent[];
  sipPort: number;
  /** Resolves with the first event (already seen or to come) that `pick` maps to a value. */
  until<T>(pick: (e: ApiEvent) => T | undefined, ms?: number): Promise<T>;
  /** Ends calls and workers (the WAV and IVF sinks are complete after this). */
  stop(): Promise<void>;
  /** stop(), then removes the data directory. */
  close(): Promise<void>;
}

export interface VouchPeerOptions {
  mediaSecurity: MediaSecurityPolicy;
  autoAnswer?: boolean;
  toneHz?: number;
}

export async function startVouch(o: VouchPeerOptions): Promise<VouchPeer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vouch-interop-'));
  const receivedWav = join(dataDir, 'received.wav');
  const receivedIvf = join(dataDir, 'received.ivf');
  const core = new AppCore({
    dataDir,
    host: '127.0.0.1',
    sipPort: 0,
    io: {
      audioSource: { kind: 'tone', frequencyHz: o.toneHz ?? 1000 },
      audioSink: { kind: 'wav', path: receivedWav },
      videoSource: { kind: 'ivf', path: new URL('../../../assets/test-vp8.ivf', import.meta.url).pathname },
      videoSink: { kind: 'ivf', path: receivedIvf },
      audioCodecs: ['pcmu', 'pcma'],
    },
  });
  await core.invoke('updateSettings', { patch: { autoAnswer: o.autoAnswer ?? false, mediaSecurity: o.mediaSecurity } });
  await core.start();
  const events: ApiEvent[] = [];
  const waiters = new Set<() => void>();
  let stopped: Promise<void> | undefined;
  core.onEvent((e) => {
    events.push(e);
    for (const w of [...waiters]) w();
  });
  const stop = (): Promise<void> => {
    stopped ??= core.close();
    return stopped;
  };
  return {
    core,
    dataDir,
    receivedWav,
    receivedIvf,
    events,
    sipPort: core.calls.sipPort!,
    until<T>(pick: (e: ApiEvent) => T | undefined, ms = 8000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = (): boolean => {
          for (const e of events) {
            const v = pick(e);
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
          reject(new Error(`timed out waiting for an event; saw: ${events.map(describe).join(', ')}`));
        }, ms);
        if (!check()) waiters.add(check);
      });
    },
    stop,
    async close() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function describe(e: ApiEvent): string {
  if (e.type === 'security') return `security:${e.security.mode}/${e.security.state}`;
  if (e.type === 'callState') return `call:${e.call.state}/${e.call.video.local}${e.call.endReason ? `/${e.call.endReason}` : ''}`;
  if (e.type === 'error') return `error:${e.message}`;
  return e.type;
}

export const securityWhere = (pred: (s: SecurityInfo) => boolean) => (e: ApiEvent) => (e.type === 'security' && pred(e.security) ? e.security : undefined);
export const callWhere = (pred: (c: CallInfo) => boolean) => (e: ApiEvent) => (e.type === 'callState' && pred(e.call) ? e.call : undefined);
/** A stats event in which `stream` has received at least `packets` packets. */
export const statsWhere = (stream: 'audio' | 'video', packets: number) => (e: ApiEvent) =>
  e.type === 'stats' ? e.stats.streams.find((s): s is StreamStats => s.stream === stream && s.packetsReceived >= packets) : undefined;
