// Video with linphonec (-V: its camera is a static picture, VP8) in full Vouch calls (AppCore):
// added by Vouch's addVideo, added by linphonec's `camera on`, and offered in linphonec's initial
// INVITE. Each video stream is keyed by ZRTP multistream from the audio session (RFC 6189 §4.4.3):
// same SAS, no second SAS compare, a Verified SAS stays Verified; linphonec's VP8 reaches Vouch.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPeer } from './peers';
import { startLinphone } from './zrtp/linphone';
import type { Linphone } from './zrtp/linphone';
import { VouchPeers } from './vouch-peer';
import { callWhere, securityWhere, streamStats } from './vouch-events';
import type { VouchPeer } from './vouch-peer';
import { authToken, callEnded, ivfKeyframeSizes, srtpProblems, waitForLog } from './linphone-call/helpers';
import { endSessionCalls, startLinphoneSession } from './linphone-call/session';
import { peerPort, peerPorts } from './ports';

const linphonec = findPeer('linphonec', 'linphone-cli');

describe.skipIf(!linphonec)('Vouch (AppCore) with linphonec: video by multistream', () => {
  const peers = new VouchPeers();
  let linphone: Linphone;
  let linphoneUri = '';
  let vouch: VouchPeer;
  let linphoneCall = 0;

  beforeAll(async () => {
    ({ linphone, linphoneUri, vouch } = await startLinphoneSession(peers, linphonec as string, { video: true }));
  });

  afterEach(async () => {
    linphoneCall = await endSessionCalls({ linphone, linphoneUri, vouch });
  });

  afterAll(async () => {
    await peers.closeAll();
    await linphone?.stop();
  });

  it("Vouch's addVideo: video keyed by multistream, same SAS, Verified kept, linphonec's VP8 arrives", async () => {
    const n = ++linphoneCall;
    const from = vouch.events.length;
    const logFrom = linphone.log().length;
    const { callId } = await vouch.core.invoke('call', { uri: linphoneUri });
    const audio = await vouch.until(securityWhere((s) => s.callId === callId && s.state === 'secure'), 10_000, from);
    expect(audio.sas).toBe((await linphone.waitFor(authToken(n), 10_000))[1]);
    linphone.command('zrtp-set-verified');
    await vouch.core.invoke('setSasVerified', { callId, verified: true });

    const started = Date.now();
    await vouch.core.invoke('addVideo', { callId });
    const withVideo = await vouch.until(securityWhere((s) => s.callId === callId && s.perStream.video?.state === 'secure'), 10_000, from);
    const videoSecureMs = Date.now() - started;
    expect(withVideo.perStream.video).toEqual({ state: 'secure', multistream: true });
    expect(withVideo.sas).toBe(audio.sas);
    expect(withVideo.verified).toBe(true);
    expect(withVideo.state).toBe('secure');
    const on = await vouch.until(callWhere((c) => c.callId === callId && c.video.local === 'on'), 5000, from);
    expect(on.video.declinedByPeer).toBe(false);
    const stats = await vouch.until(streamStats('video', (s) => s.packetsReceived > 0), 8000, from);
    const video = stats.streams.find((s) => s.stream === 'video');
    expect(video?.codec).toBe('VP8');
    expect(video?.protectFailures).toBe(0);
    expect(video?.dropped.auth).toBe(0);
    console.log(JSON.stringify({ test: 'linphone-call-video addVideo', videoSecureMs, video }));
    // linphonec decodes Vouch's VP8 (assets/test-vp8.ivf is 320x240) and snapshots it as a JPEG.
    await waitForLog(() => linphone.log(), /First video frame decoded successfully/, 8000, logFrom);
    expect((await waitForLog(() => linphone.log(), /MSVp8Dec: video is (\d+x\d+)/, 1000, logFrom))[1]).toBe('320x240');
    const snapshot = join(linphone.home, `received-${n}.jpg`);
    linphone.command(`snapshot ${snapshot}`);
    await waitForLog(() => linphone.log(), /Snapshot done/, 5000, logFrom);
    expect([...readFileSync(snapshot).subarray(0, 2)]).toEqual([0xff, 0xd8]);
    // linphonec repeats the SAS line once the video stream is encrypted: the same SAS.
    await linphone.waitFor(new RegExp(`for call ${n} \\(video\\)[\\s\\S]*auth token is`), 5000);
    const afterVideo = linphone.output().slice(linphone.output().indexOf(`for call ${n} (video)`));
    expect(authToken(n).exec(afterVideo)?.[1]).toBe(audio.sas);

    expect(srtpProblems(linphone.log().slice(logFrom))).toEqual([]);

    // A first video packet is not a first whole frame: under load linphonec's first keyframe can
    // still be on its way (the soak saw an empty IVF), so wait for one in Vouch's IVF.
    const ivf = join(vouch.dataDir, 'received.ivf');
    await waitForLog(() => (typeof ivfKeyframeSizes(ivf) === 'string' ? '' : 'a whole frame'), /a whole frame/, 8000);
    await vouch.core.invoke('hangup', { callId });
    await linphone.waitFor(callEnded(n), 5000);
    await vouch.until(callWhere((c) => c.callId === callId && c.state === 'ended'), 5000, from);
    // Vouch's IVF holds linphonec's static picture as VP8 keyframes (its [video] size=qcif).
    const sizes = ivfKeyframeSizes(ivf);
    if (typeof sizes === 'string') throw new Error(sizes);
    expect(sizes.length).toBeGreaterThan(0);
    expect(new Set(sizes)).toEqual(new Set(['176x144']));
  }, 25_000);

  it("linphonec's `camera on` adds video to its call: Vouch accepts the re-INVITE, multistream, same SAS", async () => {
    const n = ++linphoneCall;
    const from = vouch.events.length;
    linphone.command(`call sip:vouch@127.0.0.1:${vouch.sipPort} --audio-only`);
    const audio = await vouch.until(securityWhere((s) => s.state === 'secure'), 10_000, from);
    expect(audio.perStream.video).toBeUndefined();
    expect(audio.sas).toBe((await linphone.waitFor(authToken(n), 10_000))[1]);

    linphone.command('camera on');
    const withVideo = await vouch.until(securityWhere((s) => s.callId === audio.callId && s.perStream.video?.state === 'secure'), 10_000, from);
    expect(withVideo.perStream.video?.multistream).toBe(true);
    expect(withVideo.sas).toBe(audio.sas);
    expect(withVideo.warnings.filter((w) => w.kind === 'policy-refused')).toEqual([]);
    await vouch.until(streamStats('video', (s) => s.packetsReceived > 0), 8000, from);

    linphone.command('terminate');
    await linphone.waitFor(callEnded(n), 5000);
    const ended = await vouch.until(callWhere((c) => c.callId === audio.callId && c.state === 'ended'), 5000, from);
    expect(ended.endReason).toBe('remote-hangup');
  }, 25_000);

  it('linphonec offers video in its initial INVITE: Vouch keys it by multistream once audio is secure', async () => {
    // automatically_initiate is read at start-up (`param` does not change a running instance),
    // so this call comes from a second linphonec.
    const offering = await startLinphone({ binary: linphonec as string, sipPort: await peerPort(), rtpPort: await peerPorts(2, 2), videoRtpPort: await peerPorts(2, 2), video: true, videoInitiate: true });
    try {
      const from = vouch.events.length;
      offering.command(`call sip:vouch@127.0.0.1:${vouch.sipPort}`);
      const both = await vouch.until(securityWhere((s) => s.state === 'secure' && s.perStream.video?.state === 'secure'), 10_000, from);
      expect(both.perStream.video?.multistream).toBe(true);
      expect(both.sas).toBe((await offering.waitFor(authToken(1), 10_000))[1]);
      const call = await vouch.until(callWhere((c) => c.callId === both.callId && c.video.local === 'on'), 5000, from);
      expect(call.direction).toBe('incoming');
      await vouch.until(streamStats('video', (s) => s.packetsReceived > 0), 8000, from);
      // Vouch's answer binds both streams' Hellos to the signalling (RFC 6189 §8.1), the video
      // one too although its engine waits for the audio session before it starts.
      const answer = /SIP\/2\.0 200 OK[\s\S]*?(?=\n\d{4}-\d\d-\d\d )/.exec(offering.log())?.[0] ?? '';
      const sections = answer.split(/\r?\n(?=m=)/).slice(1);
      expect(sections.map((m) => m.slice(0, 7))).toEqual(['m=audio', 'm=video']);
      for (const m of sections) expect(m).toMatch(/a=zrtp-hash:1\.10 [0-9a-f]{64}/);
      expect(srtpProblems(offering.log())).toEqual([]);
      await vouch.core.invoke('hangup', { callId: both.callId });
      await offering.waitFor(callEnded(1), 5000);
    } finally {
      await offering.stop();
    }
  }, 25_000);
});
