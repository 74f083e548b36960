// The host keeps one media worker started ahead of need and never more: a call takes it, no second
// one starts while the call runs, and the next spare starts once the call's worker is released;
// closing waits for a hung-up call's worker to be released; each spare prepares the next call's
// audio stream (bound, with its Hello hash) for what prepareWith says.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaWorkerHost, preparedKey } from './worker-host';
import type { WorkerToMain } from '../worker-protocol';

const hosts: MediaWorkerHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

describe('MediaWorkerHost', () => {
  it("has the spare open the next call's audio stream as prepareWith says: bound, with its ZRTP Hello hash", async () => {
    const host = new MediaWorkerHost(true);
    hosts.push(host);
    const params = { zid: '0123456789abcdef01234567', preferences: { keyAgreements: ['X255'], sasTypes: ['B32'] }, host: '127.0.0.1' };
    host.prepareWith(() => params);
    const w = host.acquire();
    // Taken at once: the worker was not ready, so nothing is prepared for this call.
    await w.ready;
    await new Promise((r) => setTimeout(r, 300));
    expect(w.prepared).toBeUndefined();
    await host.release(w);
    // The next spare prepares once ready.
    await host.ping(20_000);
    const spare = host.acquire();
    for (let i = 0; i < 200 && !spare.prepared; i++) await new Promise((r) => setTimeout(r, 50));
    expect(spare.prepared).toMatchObject({ key: preparedKey(params), helloHash: expect.stringMatching(/^1\.10 [0-9a-f]{64}$/) });
    // Its RTP port is bound (by the worker).
    const probe = createSocket('udp4');
    const bound = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(true));
      probe.bind(spare.prepared!.rtpPort, '127.0.0.1', () => resolve(false));
    });
    probe.close();
    expect(bound).toBe(true);
    await host.release(spare);
  }, 60_000);

  it('pre-starts one worker; a call takes it without a second starting; its release starts the next spare', async () => {
    const host = new MediaWorkerHost(true);
    hosts.push(host);
    expect(host.threads).toBe(1);
    const first = await host.ping(20_000);
    const w = host.acquire();
    await w.ready;
    expect(await w.ready).toBe(first.threadId);
    // A while into the call: still the call's worker alone.
    await new Promise((r) => setTimeout(r, 500));
    expect(host.threads).toBe(1);
    await host.release(w);
    expect(w.alive).toBe(false);
    expect(host.threads).toBe(1);
    const next = await host.ping(20_000);
    expect(next.threadId).not.toBe(first.threadId);
  }, 60_000);

  it('starts a worker on demand for a second call while the first holds the spare', async () => {
    const host = new MediaWorkerHost(true);
    hosts.push(host);
    const a = host.acquire();
    const b = host.acquire();
    expect(host.threads).toBe(2);
    expect(await a.ready).not.toBe(await b.ready);
    await host.release(a);
    await host.release(b);
    // One spare again, not one per released call.
    expect(host.threads).toBe(1);
  }, 60_000);

  it('close() lets the worker of a hung-up call finish (its release) before ending the threads', async () => {
    const host = new MediaWorkerHost(false);
    hosts.push(host);
    const w = host.acquire();
    await w.ready;
    const closing = host.close();
    // While close() waits, the call's worker still runs: it answers a ping (it would be closing
    // its sinks and zeroing its keys here), and only its release lets close() end it.
    const pong = w.waitFor((m): m is WorkerToMain => m.type === 'pong', 20_000);
    w.post({ type: 'ping', seq: 1 });
    await pong;
    expect(w.alive).toBe(true);
    await host.release(w);
    await closing;
    expect(w.alive).toBe(false);
  }, 60_000);
});
