// Two calls' media, each as its worker runs it, on loopback UDP: ZRTP keys the audio stream
// (DH), multistream keys video added later, SRTP carries a tone and a VP8 clip, and not one
// protect fails (baresip #3408).
import { isOpened, isZrtp, sdesVideoStart, side, type Side } from './test-support';
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { MainToWorker, WorkerToMain, StreamStart } from '../worker-protocol';
import { parseWav, wavPcmSamples, parseIvf } from '../sources';
import { dominantFrequency } from '../sources/test-support';

const dirs: string[] = [];
const sides: Side[] = [];
afterEach(async () => {
  await Promise.all(sides.splice(0).map((s) => s.media.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function init(role: 'caller' | 'callee'): MainToWorker {
  return { type: 'init', callId: 1, zid: randomBytes(12).toString('hex'), cache: {}, preferences: { keyAgreements: ['X255'], sasTypes: ['B32'] }, role, host: '127.0.0.1' };
}

describe('CallMedia (the media worker of one call)', () => {
  it('keys audio with ZRTP, adds video by multistream, carries tone and VP8 with no protect failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vouch-media-'));
    dirs.push(dir);
    const a = side();
    const b = side();
    sides.push(a, b);
    await a.send(init('caller'));
    await b.send(init('callee'));
    await a.send({ type: 'openStream', stream: 'audio', rtcpMux: true });
    await b.send({ type: 'openStream', stream: 'audio', rtcpMux: false });
    const ao = await a.waitFor(isOpened('audio'));
    const bo = await b.waitFor(isOpened('audio'));
    expect(ao.helloHash).toMatch(/^1\.10 [0-9a-f]{64}$/);
    const audio = (remotePort: number, remoteRtcp: number, mux: boolean, hash: string | undefined, wav: string, seq?: number): StreamStart => ({
      stream: 'audio',
      remote: { address: '127.0.0.1', rtpPort: remotePort, rtcpAddress: '127.0.0.1', rtcpPort: remoteRtcp },
      rtcpMux: mux,
      security: { mode: 'zrtp', peerHelloHash: hash },
      codec: { name: 'PCMU', payloadType: 0, clockRate: 8000 },
      telephoneEvent: { payloadType: 101, clockRate: 8000 },
      direction: 'sendrecv',
      nack: false,
      pli: false,
      source: { kind: 'tone', frequencyHz: 1000 },
      sink: { kind: 'wav', path: join(dir, wav) },
      initialSequenceNumber: seq,
    });
    // Mixed: A multiplexes RTCP, B uses a separate RTCP port; each sends where the other listens.
    await b.send({ type: 'startStream', ...audio(ao.rtpPort, ao.rtcpPort, true, ao.helloHash, 'b-recv.wav') });
    await a.send({ type: 'startStream', ...audio(bo.rtpPort, bo.rtcpPort, false, bo.helloHash, 'a-recv.wav', 65530) });
    const sasA = await a.waitFor(isZrtp('audio', 'sasReady'));
    const sasB = await b.waitFor(isZrtp('audio', 'sasReady'));
    expect(sasA.report).toMatchObject({ sasType: 'B32' });
    expect(sasA.report.kind === 'sasReady' && sasA.report.sas).toBe(sasB.report.kind === 'sasReady' && sasB.report.sas);
    const secA = await a.waitFor(isZrtp('audio', 'secure'));
    await b.waitFor(isZrtp('audio', 'secure'));
    expect(secA.report).toMatchObject({ keyAgreement: 'X255', srtpSuite: 'AES_CM_128_HMAC_SHA1_80', helloHashMatched: true, multistream: false });
    // DTMF both ways over RFC 4733.
    await a.send({ type: 'sendDtmf', digits: '5#' });
    await b.send({ type: 'sendDtmf', digits: '9' });
    await b.waitFor((m): m is WorkerToMain => m.type === 'dtmf' && m.digit === '#');
    await a.waitFor((m): m is WorkerToMain => m.type === 'dtmf' && m.digit === '9');

    // Add video: multistream, no second DH, same SAS.
    await a.send({ type: 'openStream', stream: 'video', rtcpMux: true });
    await b.send({ type: 'openStream', stream: 'video', rtcpMux: true });
    const av = await a.waitFor(isOpened('video'));
    const bv = await b.waitFor(isOpened('video'));
    const video = (remotePort: number, hash: string | undefined, ivf: string): StreamStart => ({
      stream: 'video',
      remote: { address: '127.0.0.1', rtpPort: remotePort, rtcpAddress: '127.0.0.1', rtcpPort: remotePort },
      rtcpMux: true,
      security: { mode: 'zrtp', peerHelloHash: hash },
      codec: { name: 'VP8', payloadType: 96, clockRate: 90000 },
      direction: 'sendrecv',
      nack: true,
      pli: true,
      source: { kind: 'ivf', path: 'assets/test-vp8.ivf' },
      sink: { kind: 'ivf', path: join(dir, ivf) },
    });
    await b.send({ type: 'startStream', ...video(av.rtpPort, av.helloHash, 'b-recv.ivf') });
    await a.send({ type: 'startStream', ...video(bv.rtpPort, bv.helloHash, 'a-recv.ivf') });
    const vsec = await a.waitFor(isZrtp('video', 'secure'));
    expect(vsec.report).toMatchObject({ keyAgreement: 'Mult', multistream: true });
    expect(vsec.report.kind === 'secure' && vsec.report.sas).toBe(sasA.report.kind === 'sasReady' && sasA.report.sas);
    await a.waitFor((m): m is WorkerToMain => m.type === 'firstFrame' && m.stream === 'video');
    await b.waitFor((m): m is WorkerToMain => m.type === 'firstFrame' && m.stream === 'video');
    // Until each side has received well over a second of audio (50 packets/s; the WAV check below
    // wants more than 8000 samples after the jitter buffer), bounded: a loaded machine is slower.
    type Stats = Extract<WorkerToMain, { type: 'stats' }>;
    const latestStats = (side: Side): Stats | undefined => side.messages.findLast((m): m is Stats => m.type === 'stats' && m.streams.length === 2);
    const audioReceived = (side: Side): number => latestStats(side)?.streams.find((x) => x.stream === 'audio')?.packetsReceived ?? 0;
    const enoughBy = Date.now() + 10_000;
    while (Date.now() < enoughBy && (audioReceived(a) < 75 || audioReceived(b) < 75)) await new Promise((r) => setTimeout(r, 100));
    const stats = latestStats(a)!;
    // Each side saw the other's Hello (main needs this to refuse a stalled handshake, issue 16).
    for (const s of [a, b]) expect(s.messages.some(isZrtp('audio', 'helloSeen'))).toBe(true);
    // Keys outlive nothing (issue 16): the SRTP masters were wiped once the SRTP sessions existed,
    // so each side holds only the two ZRTPSess (audio's, for multistream, and video's); close wipes them.
    const held = [...a.media.heldZrtpSecrets(), ...b.media.heldZrtpSecrets()];
    expect(held.length).toBe(4);
    expect(held.every((k) => k.some((x) => x !== 0))).toBe(true);
    await a.media.close();
    await b.media.close();
    expect(held.every((k) => k.every((x) => x === 0))).toBe(true);
    expect(a.media.heldZrtpSecrets()).toEqual([]);
    for (const s of stats.streams) {
      expect(s.protectFailures).toBe(0);
      expect(s.packetsSent).toBeGreaterThan(0);
      expect(s.packetsReceived).toBeGreaterThan(0);
      expect(s.dropped.auth).toBe(0);
    }
    // What arrived decodes: the tone is 1 kHz, the IVF holds VP8 frames.
    for (const f of ['a-recv.wav', 'b-recv.wav']) {
      const bytes = new Uint8Array(readFileSync(join(dir, f)));
      const info = parseWav(bytes);
      if (typeof info === 'string') throw new Error(info);
      const pcm = wavPcmSamples(bytes, info);
      expect(pcm.length).toBeGreaterThan(8000);
      expect(Math.abs(dominantFrequency(pcm.subarray(pcm.length - 4000), 8000, 200, 3000) - 1000)).toBeLessThan(30);
    }
    const ivf = parseIvf(new Uint8Array(readFileSync(join(dir, 'a-recv.ivf'))));
    if (typeof ivf === 'string') throw new Error(ivf);
    expect(ivf.frameStarts.length).toBeGreaterThan(3);
  });

  it("passes keyframe requests one way each: our decoder's request becomes PLI, the peer's PLI a request to its encoder", async () => {
    const a = side();
    const b = side();
    sides.push(a, b);
    await a.send(init('caller'));
    await b.send(init('callee'));
    await a.send({ type: 'openStream', stream: 'video', rtcpMux: true });
    await b.send({ type: 'openStream', stream: 'video', rtcpMux: true });
    const ao = await a.waitFor(isOpened('video'));
    const bo = await b.waitFor(isOpened('video'));
    const key = (seed: number) => ({ masterKey: new Uint8Array(16).fill(seed), masterSalt: new Uint8Array(14).fill(seed + 1) });
    const video = (remotePort: number, local: number, remote: number): StreamStart => sdesVideoStart(remotePort, key(local), key(remote));
    await a.send({ type: 'startStream', ...video(bo.rtpPort, 1, 3) });
    await b.send({ type: 'startStream', ...video(ao.rtpPort, 3, 1) });
    // A VP8 keyframe (RFC 6386 §9.1 frame tag) from A's encoder reaches B's decoder.
    const payload = new Uint8Array(2000).fill(0x42);
    payload.set([0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]);
    await a.send({ type: 'frame', stream: 'video', timestamp: 0, keyframe: true, payload });
    await b.waitFor((m): m is WorkerToMain => m.type === 'frame' && m.stream === 'video' && m.keyframe);
    const wants = (m: WorkerToMain): m is WorkerToMain => m.type === 'peerWantsKeyframe' && m.stream === 'video';
    expect(a.messages.some(wants)).toBe(false);
    // B's decoder needs a keyframe: PLI to A, whose front end is told to make one.
    await b.send({ type: 'requestKeyframeFromPeer', stream: 'video' });
    await a.waitFor(wants);
    expect(b.messages.some(wants)).toBe(false);
  });
});
