// Vouch calls Vouch through Kamailio (issue 8): both register with digest auth, the call goes
// through the proxy (Record-Route), ZRTP keys it end to end past the server, video is added by
// multistream, and both hang up cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent } from '../../src/shared/api';
import { AppCore } from '../../src/main/core/app-core';
import { Kamailio, freeTcpPort } from './kamailio/kamailio';
import { freeUdpPort } from './sipp/sipp';
import { findPeer } from './peers';

const kamailio = findPeer('kamailio', 'kamailio kamailio-tls-modules');
const PASSWORD = 'correct horse';

describe.skipIf(!kamailio)('Vouch ↔ Vouch through Kamailio', () => {
  let k: Kamailio;
  let port = 0;
  const dirs: string[] = [];
  const cores: AppCore[] = [];

  beforeAll(async () => {
    port = await freeUdpPort();
    k = await Kamailio.start({ bin: kamailio!, udpPort: port, tcpPort: await freeTcpPort(), password: PASSWORD });
  });
  afterAll(async () => {
    await Promise.all(cores.map((c) => c.close()));
    await k?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function user(name: string): Promise<{ core: AppCore; events: ApiEvent[] }> {
    const dataDir = mkdtempSync(join(tmpdir(), `vouch-kam-${name}-`));
    dirs.push(dataDir);
    const core = new AppCore({
      dataDir,
      host: '127.0.0.1',
      sipPort: 0,
      io: { audioSource: { kind: 'tone', frequencyHz: 1000 }, audioSink: { kind: 'none' }, videoSource: { kind: 'ivf', path: 'assets/test-vp8.ivf' }, videoSink: { kind: 'none' }, audioCodecs: ['pcmu'] },
    });
    cores.push(core);
    const events: ApiEvent[] = [];
    core.onEvent((e) => events.push(e));
    await core.invoke('updateSettings', {
      patch: { autoAnswer: name === 'bob', account: { displayName: name, address: `sip:${name}@127.0.0.1`, username: name, password: PASSWORD, server: `127.0.0.1:${port}`, transport: 'udp', directIpOnly: false } },
    });
    const reg = await core.invoke('register', {});
    expect(reg.state).toBe('registered');
    return { core, events };
  }

  const until = async <T>(events: ApiEvent[], pick: (e: ApiEvent) => T | undefined, ms = 10_000): Promise<T> => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      for (const e of events) {
        const v = pick(e);
        if (v !== undefined) return v;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('timed out');
  };

  it('registers, calls through the proxy, secures with ZRTP, adds video, hangs up', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    const { callId } = await alice.core.invoke('call', { uri: `sip:bob@127.0.0.1:${port}` });
    const a = await until(alice.events, (e) => (e.type === 'security' && e.security.state === 'secure' ? e.security : undefined));
    const b = await until(bob.events, (e) => (e.type === 'security' && e.security.state === 'secure' ? e.security : undefined));
    expect(a.sas).toBe(b.sas);
    const incoming = await until(bob.events, (e) => (e.type === 'callState' && e.call.direction === 'incoming' ? e.call : undefined));
    expect(incoming.remoteUri).toBe('sip:alice@127.0.0.1');
    await alice.core.invoke('addVideo', { callId });
    await until(bob.events, (e) => (e.type === 'security' && e.security.perStream.video?.state === 'secure' ? true : undefined));
    await alice.core.invoke('hangup', { callId });
    const ended = await until(bob.events, (e) => (e.type === 'callState' && e.call.state === 'ended' ? e.call : undefined));
    expect(ended.endReason).toBe('remote-hangup');
  }, 30_000);
});
