// Two `vouch` CLIs call each other on loopback (issue 8): ZRTP audio with the same SAS on both
// sides, video added after the call is secure (multistream), DTMF both ways, zero SRTP protect
// failures; the received IVF decodes in GStreamer and the received WAV holds the 1 kHz tone.
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPeer } from './peers';
import { killAll, spawnVouch as vouch } from './vouch-process';
import type { Line, VouchProcess } from './vouch-process';
import { parseWav, wavPcmSamples } from '../../src/main/media/sources';
import { dominantFrequency } from '../../src/main/media/sources/test-support';

const gst = findPeer('gst-launch-1.0', 'gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad');
const dir = mkdtempSync(join(tmpdir(), 'vouch-cli-call-'));
afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** Every line the CLI printed was a JSON event (spawnVouch records any other as event 'text'). */
const expectOnlyJson = (p: VouchProcess): void => expect(p.lines.filter((l) => l.event === 'text')).toEqual([]);

const secure = (l: Line) => l.event === 'security' && l.state === 'secure';

describe('vouch CLI calls vouch CLI', () => {
  it('ZRTP audio + video added after the call is secure, DTMF both ways, media verified at both ends', async () => {
    const bob = vouch(['listen', '--data-dir', join(dir, 'bob'), '--record-dir', join(dir, 'bob-rec'), '--dtmf', '42', '--verify', '--calls', '1']);
    const listening = await bob.next((l) => l.event === 'listening');
    const alice = vouch(['call', `sip:bob@127.0.0.1:${listening.sipPort}`, '--data-dir', join(dir, 'alice'), '--record-dir', join(dir, 'alice-rec'), '--add-video-after', '1', '--dtmf', '17', '--verify', '--duration', '4']);
    const [a, b] = await Promise.all([alice.next(secure), bob.next(secure)]);
    expect(a.sas).toMatch(/^[a-z0-9]{4}$/);
    expect(a.sas).toBe(b.sas);
    await alice.next((l) => l.event === 'security' && (l.perStream as { video?: { state: string } }).video?.state === 'secure');
    await bob.next((l) => l.event === 'dtmf' && l.digit === '7');
    await alice.next((l) => l.event === 'dtmf' && l.digit === '2');
    expect(await alice.exited).toBe(0);
    expect(await bob.exited).toBe(0);
    expectOnlyJson(alice);
    expectOnlyJson(bob);
    const stats = alice.lines.filter((l) => l.event === 'stats').flatMap((l) => l.streams as { stream: string; protectFailures: number; packetsReceived: number }[]);
    expect(stats.some((s) => s.stream === 'video' && s.packetsReceived > 0)).toBe(true);
    for (const s of stats) expect(s.protectFailures).toBe(0);
    const bytes = new Uint8Array(readFileSync(join(dir, 'bob-rec', 'received-audio.wav')));
    const info = parseWav(bytes);
    if (typeof info === 'string') throw new Error(info);
    const pcm = wavPcmSamples(bytes, info);
    expect(Math.abs(dominantFrequency(pcm.subarray(pcm.length - 8000, pcm.length - 4000), 8000, 200, 3000) - 1000)).toBeLessThan(30);
  }, 40_000);

  it.skipIf(!gst)('the video Vouch received decodes in GStreamer', () => {
    for (const who of ['alice-rec', 'bob-rec']) {
      const out = execFileSync(gst!, ['-q', 'filesrc', `location=${join(dir, who, 'received-video.ivf')}`, '!', 'ivfparse', '!', 'vp8dec', '!', 'fakesink'], { encoding: 'utf8', timeout: 20_000 });
      expect(out).not.toMatch(/ERROR/);
    }
  });

  it('the callee can hang up too', async () => {
    const bob = vouch(['listen', '--data-dir', join(dir, 'bob'), '--duration', '1', '--calls', '1']);
    const listening = await bob.next((l) => l.event === 'listening');
    // What a peer can reach: the pinned address, UDP and TCP on one port, no TLS without a certificate.
    const port = listening.sipPort as number;
    expect(listening).toMatchObject({ addresses: [`sip:vouch@127.0.0.1:${port}`], udp: port, tcp: port, tls: null, notes: ['no TLS listener (no certificate configured)'] });
    const alice = vouch(['call', `sip:bob@127.0.0.1:${listening.sipPort}`, '--data-dir', join(dir, 'alice')]);
    const ended = await alice.next((l) => l.event === 'state' && l.state === 'ended');
    expect(ended.endReason).toBe('remote-hangup');
    // The SAS was verified in the first call: the cache carries it into this one.
    const sec = await alice.next(secure);
    expect(sec.verified).toBe(true);
    expect(await alice.exited).toBe(0);
    expect(await bob.exited).toBe(0);
    expectOnlyJson(alice);
    expectOnlyJson(bob);
  }, 20_000);
});
