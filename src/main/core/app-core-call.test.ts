// Vouch calls Vouch through AppCore: SIP on loopback, a media worker thread per call, ZRTP, SAS,
// Verified, add video (multistream), hold/resume, DTMF, hang up; the second call keeps Verified.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent, CallInfo, SecurityInfo } from '../../shared/api';
import { AppCore } from './app-core';

const dirs: string[] = [];
const cores: AppCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Peer {
  core: AppCore;
  events: ApiEvent[];
  until<T>(pick: (e: ApiEvent) => T | undefined, ms?: number): Promise<T>;
}

async function peer(autoAnswer: boolean): Promise<Peer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vouch-call-'));
  dirs.push(dataDir);
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
  cores.push(core);
  await core.invoke('updateSettings', { patch: { autoAnswer } });
  await core.start();
  const events: ApiEvent[] = [];
  const waiters = new Set<() => void>();
  core.onEvent((e) => {
    events.push(e);
    for (const w of [...waiters]) w();
  });
  return {
    core,
    events,
    until<T>(pick: (e: ApiEvent) => T | undefined, ms = 8000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          for (const e of events) {
            const v = pick(e);
            if (v !== undefined) {
              waiters.delete(check);
              clearTimeout(t);
              resolve(v);
              return true;
            }
          }
          return false;
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for an event; saw: ${events.map((e) => (e.type === 'security' ? `security:${e.security.state}` : e.type === 'callState' ? `call:${e.call.state}/${e.call.video.local}` : e.type === 'error' ? `error:${e.message}` : e.type)).join(', ')}`));
        }, ms);
        if (!check()) waiters.add(check);
      });
    },
  };
}

const security = (pred: (s: SecurityInfo) => boolean) => (e: ApiEvent) => (e.type === 'security' && pred(e.security) ? e.security : undefined);
const callState = (pred: (c: CallInfo) => boolean) => (e: ApiEvent) => (e.type === 'callState' && pred(e.call) ? e.call : undefined);

describe('Vouch calls Vouch (AppCore, loopback)', () => {
  it('secures audio by ZRTP, shows the same SAS, adds video by multistream, keeps Verified into the next call', async () => {
    const alice = await peer(false);
    const bob = await peer(true);
    const bobPort = bob.core.calls.sipPort;
    const { callId } = await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${bobPort}` });
    const aSas = await alice.until(security((s) => s.state === 'secure'));
    const bSas = await bob.until(security((s) => s.state === 'secure'));
    expect(aSas.sas).toMatch(/^[a-z0-9]{4}$/);
    expect(aSas.sas).toBe(bSas.sas);
    expect(aSas.details).toMatchObject({ keyAgreement: 'X255', srtpSuite: expect.stringMatching(/^AES/) });
    expect(aSas.label).toBe('end-to-end encrypted');
    expect(aSas.verified).toBe(false);
    await alice.core.invoke('setSasVerified', { callId, verified: true });
    const bobCallId = bSas.callId;
    await bob.core.invoke('setSasVerified', { callId: bobCallId, verified: true });

    await alice.core.invoke('addVideo', { callId });
    await alice.until(security((s) => s.perStream.video?.state === 'secure' && s.perStream.video.multistream));
    await bob.until(security((s) => s.perStream.video?.state === 'secure'));
    const withVideo = await alice.until(callState((c) => c.video.local === 'on'));
    expect(withVideo.video.declinedByPeer).toBe(false);

    await alice.core.invoke('sendDtmf', { callId, digits: '7' });
    await bob.until((e) => (e.type === 'dtmf' && e.digit === '7' ? e : undefined));

    await alice.core.invoke('hold', { callId, on: true });
    await bob.until(callState((c) => c.remoteHeld));
    await alice.core.invoke('hold', { callId, on: false });
    await bob.until(callState((c) => !c.remoteHeld && c.state === 'connected'));

    const stats = await alice.until((e) => (e.type === 'stats' && e.stats.streams.length === 2 ? e.stats : undefined));
    for (const s of stats.streams) expect(s.protectFailures).toBe(0);

    await bob.core.invoke('hangup', { callId: bobCallId });
    const ended = await alice.until(callState((c) => c.callId === callId && c.state === 'ended'));
    expect(ended.endReason).toBe('remote-hangup');

    // Second call: the cache (rs1) says both compared the SAS before.
    const second = await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${bobPort}` });
    const again = await alice.until(security((s) => s.callId === second.callId && s.state === 'secure'));
    expect(again.verified).toBe(true);
    const history = await alice.core.invoke('getHistory', {});
    expect(history[0]).toMatchObject({ direction: 'outgoing', verified: true, video: true });
    await alice.core.invoke('hangup', { callId: second.callId });
  }, 30_000);
});
