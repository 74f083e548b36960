// The host keeps one media worker started ahead of need and never more: a call takes it, no second
// one starts while the call runs, and the next spare starts once the call's worker is released.
import { afterEach, describe, expect, it } from 'vitest';
import { MediaWorkerHost } from './worker-host';

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
});
