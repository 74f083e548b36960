// `vouch listen --server HOST` where no registrar answers (issue 16): it used to print nothing
// until Timer F and then exit. Now it says "registering" at once, "no answer from HOST
// (retrying in N s)" a few seconds later, and keeps listening for direct calls meanwhile.
import { describe, it, expect, afterAll } from 'vitest';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll, spawnVouch, type Line } from './vouch-process';

const dir = mkdtempSync(join(tmpdir(), 'vouch-silent-registrar-'));
const silent = createSocket('udp4');
afterAll(() => {
  killAll();
  silent.close();
  rmSync(dir, { recursive: true, force: true });
});

const registration = (pred: (l: Line) => boolean) => (l: Line) => l.event === 'registration' && pred(l);

describe('a registrar that never answers', () => {
  it('listen says registering at once, then no answer from HOST with the retry time, and keeps listening', async () => {
    // A bound socket that reads and never answers: the REGISTER is retransmitted into silence.
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    const server = `127.0.0.1:${silent.address().port}`;
    const vouch = spawnVouch(['listen', '--data-dir', dir, '--server', server, '--account', 'sip:alice@127.0.0.1']);
    const registering = await vouch.next(registration((l) => l.state === 'registering' && !l.reason), 45_000);
    const listening = await vouch.next((l) => l.event === 'listening', 10_000);
    // Registering is said before SIP even listens, and listening does not wait for the registrar.
    expect(vouch.lines.indexOf(registering)).toBeLessThan(vouch.lines.indexOf(listening));
    const noAnswer = await vouch.next(registration((l) => typeof l.reason === 'string'), 15_000);
    expect(noAnswer).toMatchObject({ state: 'registering', reason: `no answer from ${server}`, retryInSeconds: 4, message: `no answer from ${server} (retrying in 4 s)` });
    const after = vouch.times[vouch.lines.indexOf(noAnswer)] - vouch.times[vouch.lines.indexOf(registering)];
    console.info(`silent registrar: registering, then no answer after ${after} ms`);
    expect(after).toBeLessThan(12_000);
    expect(vouch.child.exitCode).toBeNull();
    vouch.child.kill('SIGTERM');
    expect(await vouch.exited).toBe(0);
  }, 90_000);
});
