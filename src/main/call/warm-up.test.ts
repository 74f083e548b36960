// The start-up rehearsal of an answer (warm-up.ts) must walk the whole answer — a sample INVITE
// the parsers, the policy or the offer/answer refused would warm nothing — and leave no trace:
// no packet on the wire, no session or dialog in the real user agent, no event, no history.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api';
import { AppCore } from '../core/app-core';
import { callManagerOf, rehearsalOf } from '../core/test-support';
import { defaultSettings } from '../store/settings';
import { warmCallPath } from './warm-up';

const IO = { audioSource: { kind: 'tone', frequencyHz: 1000 }, audioSink: { kind: 'none' }, videoSource: { kind: 'none' }, videoSink: { kind: 'none' }, audioCodecs: ['pcmu'] } as const;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('warmCallPath', () => {
  it('answers its made-up INVITE with 180 and a 200 carrying SDP, every time it runs', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await warmCallPath({ settings: defaultSettings, io: IO, zid: '0123456789abcdef01234567' });
      expect(r.answered).toBe(true);
      const statuses = r.sent.map((m) => m.split(' ')[1]);
      expect(statuses).toEqual(expect.arrayContaining(['180', '200']));
      expect(r.sent.find((m) => m.startsWith('SIP/2.0 200 '))).toMatch(/\r\n\r\nv=0\r\n[\s\S]*a=zrtp-hash:1\.10 /);
    }
  });

  it('sends nothing to the address its INVITE names', async () => {
    const peer = createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
    const got: Buffer[] = [];
    peer.on('message', (m) => got.push(m));
    const r = await warmCallPath({ settings: defaultSettings, io: IO, zid: '0123456789abcdef01234567' }, peer.address().port);
    await new Promise((res) => setTimeout(res, 300));
    peer.close();
    expect(r.answered).toBe(true);
    expect(got).toEqual([]);
  });

  it('run by a starting AppCore, leaves no call, session, event or history entry behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vouch-warm-'));
    dirs.push(dataDir);
    const core = new AppCore({ dataDir, host: '127.0.0.1', sipPort: 0, prestartWorker: false, io: IO });
    const events: ApiEvent[] = [];
    core.onEvent((e) => events.push(e));
    await core.start();
    expect((await rehearsalOf(core))?.answered).toBe(true);
    // Anything the rehearsal's call might still say would come within a few turns of the loop.
    await new Promise((res) => setTimeout(res, 200));
    const ua = callManagerOf(core).ua!;
    expect(events.map((e) => e.type)).toEqual(['listening']);
    expect(core.snapshot().calls).toEqual([]);
    expect(await core.invoke('getHistory', {})).toEqual([]);
    expect(ua.activeSessions).toEqual([]);
    expect(ua.stats).toEqual({ badRequests: 0, dropped: 0 });
    await core.close();
  });
});
