// The audio stream a spare worker opens ahead of a call (issue 23): a callee's call takes it with
// the ports and ZRTP Hello hash main was told before the INVITE came (its 200 waits for no
// worker), and keys it by ZRTP with the cache its init brings; a call that does not take it (an
// outgoing one) gets a stream of its own and the prepared sockets are closed.
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { MainToWorker, StreamStart, WorkerToMain } from '../worker-protocol';
import { isOpened, isZrtp, side, toneAudioStart, type Side } from './test-support';

const sides: Side[] = [];
afterEach(async () => {
  await Promise.all(sides.splice(0).map((s) => s.media.close()));
});

const PREFERENCES = { keyAgreements: ['X255'], sasTypes: ['B32'] };
const isPrepared = (m: WorkerToMain): m is Extract<WorkerToMain, { type: 'prepared' }> => m.type === 'prepared';

function init(zid: string, role: 'caller' | 'callee', prepared?: boolean): MainToWorker {
  return { type: 'init', callId: 1, zid, cache: {}, preferences: PREFERENCES, role, host: '127.0.0.1', prepared };
}

const audio = (rtpPort: number, rtcpPort: number, hash: string | undefined): StreamStart => toneAudioStart({ mode: 'zrtp', peerHelloHash: hash }, rtpPort, rtcpPort);

describe('CallMedia: a prepared audio stream', () => {
  it("is taken by a callee's call: the ports and Hello hash told in advance carry a ZRTP-keyed call", async () => {
    const zid = randomBytes(12).toString('hex');
    const bob = side();
    const alice = side();
    sides.push(bob, alice);
    await bob.send({ type: 'prepare', zid, preferences: PREFERENCES, host: '127.0.0.1' });
    const prepared = await bob.waitFor(isPrepared);
    expect(prepared.helloHash).toMatch(/^1\.10 [0-9a-f]{64}$/);
    await bob.send(init(zid, 'callee', true));
    await bob.send({ type: 'openStream', stream: 'audio', prepared: true, rtcpMux: false });
    // Main already has what 'streamOpened' would say.
    expect(bob.messages.some(isOpened('audio'))).toBe(false);
    await alice.send(init(randomBytes(12).toString('hex'), 'caller'));
    await alice.send({ type: 'openStream', stream: 'audio', rtcpMux: false });
    const ao = await alice.waitFor(isOpened('audio'));
    await bob.send({ type: 'startStream', ...audio(ao.rtpPort, ao.rtcpPort, ao.helloHash) });
    await alice.send({ type: 'startStream', ...audio(prepared.rtpPort, prepared.rtcpPort, prepared.helloHash) });
    const secure = await alice.waitFor(isZrtp('audio', 'secure'));
    await bob.waitFor(isZrtp('audio', 'secure'));
    // Alice checked Bob's Hello against the hash Bob's worker gave before the call.
    expect(secure.report).toMatchObject({ helloHashMatched: true, multistream: false });
  });

  it('is closed for a call that does not take it, which opens a stream of its own', async () => {
    const zid = randomBytes(12).toString('hex');
    const w = side();
    sides.push(w);
    await w.send({ type: 'prepare', zid, preferences: PREFERENCES, host: '127.0.0.1' });
    const prepared = await w.waitFor(isPrepared);
    await w.send(init(zid, 'caller'));
    await w.send({ type: 'openStream', stream: 'audio', rtcpMux: false });
    const opened = await w.waitFor(isOpened('audio'));
    expect(opened.rtpPort).not.toBe(prepared.rtpPort);
    // The prepared RTP port is free again.
    const probe = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.bind(prepared.rtpPort, '127.0.0.1', resolve);
    });
    probe.close();
  });
});
