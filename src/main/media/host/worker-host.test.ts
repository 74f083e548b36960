// The host keeps one media worker started ahead of need and never more: a call takes it, no second
// one starts while the call runs, and the next spare starts once the call's worker is released;
// closing waits for a hung-up call's worker to be released.
import { afterEach, describe, expect, it } from 'vitest';
import { MediaWorkerHost } from './worker-host';
import type { WorkerToMain } from '../worker-protocol';

const hosts: MediaWorkerHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

describe('MediaWorkerHost', () => {
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
