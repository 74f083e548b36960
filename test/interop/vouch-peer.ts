// A Vouch AppCore on loopback for tests: SIP and media on 127.0.0.1, a tone and the test VP8 clip
// as sources, WAV and IVF files as sinks, every api.ts event recorded and awaitable. Tests close
// each peer (or a VouchPeers set) in afterAll/afterEach.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent, MediaSecurityPolicy, StreamStats } from '../../src/shared/api';
import { AppCore } from '../../src/main/core/app-core';
import { describeEvent } from './vouch-events';

export interface VouchPeer {
  core: AppCore;
  dataDir: string;
  /** Where the call's received audio and video are written. */
  receivedWav: string;
  receivedIvf: string;
  events: ApiEvent[];
  sipPort: number;
  /** Resolves with the first recorded event (from index `from` on, seen or to come) that `pick` maps to a value. */
  until<T>(pick: (e: ApiEvent) => T | undefined, ms?: number, from?: number): Promise<T>;
  /** The latest stats of a stream, if any were reported. */
  lastStats(stream: 'audio' | 'video'): StreamStats | undefined;
  /** Ends calls and workers (the WAV and IVF sinks are complete after this). */
  stop(): Promise<void>;
  /** stop(), then removes the data directory unless it was given in the options. */
  close(): Promise<void>;
}

export interface VouchPeerOptions {
  autoAnswer?: boolean;
  mediaSecurity?: MediaSecurityPolicy;
  toneHz?: number;
  /** Reuses a directory (same ZID) instead of a fresh one; the caller removes it. */
  dataDir?: string;
  /** Loopback address to pin SIP and media to (default 127.0.0.1; '::1' for IPv6-only calls). */
  host?: '127.0.0.1' | '::1';
  /**
   * false: no ICE (the SDP's address is the path). Tests that put a relay between the peers by
   * rewriting m= ports need it: ICE would find the direct loopback pair around the relay.
   */
  ice?: boolean;
}

const testClip = new URL('../../assets/test-vp8.ivf', import.meta.url).pathname;

export async function startVouch(o: VouchPeerOptions): Promise<VouchPeer> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'vouch-interop-'));
  const receivedWav = join(dataDir, 'received.wav');
  const receivedIvf = join(dataDir, 'received.ivf');
  const core = new AppCore({
    dataDir,
    host: o.host ?? '127.0.0.1',
    sipPort: 0,
    io: {
      audioSource: { kind: 'tone', frequencyHz: o.toneHz ?? 1000 },
      audioSink: { kind: 'wav', path: receivedWav },
      videoSource: { kind: 'ivf', path: testClip },
      videoSink: { kind: 'ivf', path: receivedIvf },
      audioCodecs: ['pcmu', 'pcma'],
    },
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= core.close();
    return stopped;
  };
  try {
    await core.invoke('updateSettings', { patch: { autoAnswer: o.autoAnswer ?? false, ...(o.mediaSecurity ? { mediaSecurity: o.mediaSecurity } : {}), ...(o.ice === false ? { ice: { enabled: false } } : {}) } });
    await core.start();
    // Ready as the app is when a call comes: its spare media worker has booted (from TypeScript
    // source here, seconds on a loaded machine), so a test's waits time the call, not that boot.
    await core.invoke('ping', {});
  } catch (e) {
    await stop();
    throw e;
  }
  const events: ApiEvent[] = [];
  const waiters = new Set<() => void>();
  core.onEvent((e) => {
    events.push(e);
    for (const w of [...waiters]) w();
  });
  return {
    core,
    dataDir,
    receivedWav,
    receivedIvf,
    events,
    sipPort: core.snapshot().listening!.udp!,
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
          const seen = events.slice(from).filter((e) => e.type !== 'stats');
          reject(new Error(`timed out after ${ms} ms waiting for an event; saw: ${seen.map(describeEvent).join(', ')}`));
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
    stop,
    async close() {
      await stop();
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The peers a test started, closed together in afterAll/afterEach. */
export class VouchPeers {
  private readonly peers: VouchPeer[] = [];

  async start(options: VouchPeerOptions): Promise<VouchPeer> {
    const peer = await startVouch(options);
    this.peers.push(peer);
    return peer;
  }

  /** Stops one core early (its data dir stays until closeAll). */
  async stop(peer: VouchPeer): Promise<void> {
    await peer.stop();
  }

  async closeAll(): Promise<void> {
    const peers = this.peers.splice(0);
    // All cores first: a later peer may share an earlier one's data dir.
    await Promise.all(peers.map((p) => p.stop()));
    for (const p of peers) await p.close();
  }
}
