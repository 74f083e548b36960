// Video with baresip in an SDES call: Vouch adds a VP8 stream by re-INVITE (RTP/SAVP, its own
// a=crypto) and VP8 flows both ways, decoded at both ends; a baresip without the vp8 module
// declines the stream (port 0 in its answer), Vouch reports "peer declined video" and the audio
// call goes on.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { StreamStats } from '../../src/shared/api';
import { parseIvf } from '../../src/main/media/sources';
import { Baresip, baresipSipPort } from './baresip/baresip';
import { findPeer } from './peers';
import { startVouch, type VouchPeer } from './vouch-peer';
import { callWhere, securityWhere, statsWhere } from './vouch-events';
import { gstDecodedIvfFrames } from './media-peers/gst-ivf';
import { baresipRtpPorts } from './media-peers/sdes-baresip';

const baresipBin = findPeer('baresip', 'baresip-core');
const gst = findPeer('gst-launch-1.0', 'gstreamer1.0-tools gstreamer1.0-plugins-good');

describe.skipIf(!baresipBin)('video with baresip (SDES)', () => {
  let baresip: Baresip | undefined;
  let vouch: VouchPeer | undefined;
  afterEach(async () => {
    await vouch?.close();
    await baresip?.stop();
    baresip = vouch = undefined;
  });

  /** Vouch (allow-sdes) calls a baresip (srtp-mand) and waits for SDES audio. */
  const connect = async (video: boolean): Promise<[Baresip, VouchPeer, number]> => {
    baresip = await Baresip.start({ bin: baresipBin!, sipPort: await baresipSipPort(), rtpPort: await baresipRtpPorts(), autoAnswer: true, mediaenc: 'srtp-mand', video });
    vouch = await startVouch({ mediaSecurity: 'allow-sdes' });
    const { callId } = await vouch.core.invoke('call', { uri: baresip.uri });
    await vouch.until(securityWhere((s) => s.callId === callId && s.mode === 'sdes' && s.state === 'secure'));
    await baresip.waitFor(/incoming rtp for 'audio' established/);
    return [baresip, vouch, callId];
  };

  it('Vouch adds video to a baresip with vp8: SRTP VP8 flows both ways and both ends decode it', async () => {
    const [b, v, callId] = await connect(true);
    await v.core.invoke('addVideo', { callId });
    const on = await v.until(callWhere((c) => c.callId === callId && c.video.local === 'on'));
    expect(on.video).toMatchObject({ remote: 'on', declinedByPeer: false });
    const sec = await v.until(securityWhere((s) => s.callId === callId && s.perStream.video?.state === 'secure'));
    expect(sec).toMatchObject({ mode: 'sdes', label: 'encrypted, not end-to-end' });
    await b.waitFor(/srtp: video: SRTP is Enabled/);
    // After its SRTP check, baresip's VP8 decoder fed a frame to the display.
    await b.waitFor(/incoming rtp for 'video' established/);
    await b.waitFor(/video: receiving with resolution \d+ x \d+/);
    const video: StreamStats = await v.until(statsWhere('video', 30), 10_000);
    expect(video.codec).toBe('VP8');
    expect(video.dropped.auth).toBe(0);
    expect(video.protectFailures).toBe(0);
    await v.core.invoke('hangup', { callId });
    await v.stop();
    const ivf = parseIvf(new Uint8Array(readFileSync(v.receivedIvf)));
    if (typeof ivf === 'string') throw new Error(`received IVF: ${ivf}`);
    expect(ivf.frameStarts.length).toBeGreaterThan(5);
    expect(ivf.width).toBeGreaterThan(0);
    // What Vouch received from baresip is VP8 that an independent decoder accepts, every frame.
    if (gst) expect(gstDecodedIvfFrames(gst, v.receivedIvf)).toBe(ivf.frameStarts.length);
  }, 30_000);

  it('baresip with vp8 calls Vouch with audio and video in its SDES offer: both streams SDES, VP8 both ways', async () => {
    baresip = await Baresip.start({ bin: baresipBin!, sipPort: await baresipSipPort(), rtpPort: await baresipRtpPorts(), mediaenc: 'srtp-mand', video: true });
    vouch = await startVouch({ mediaSecurity: 'allow-sdes', autoAnswer: true });
    const v = vouch;
    baresip.send(`/dial sip:vouch@127.0.0.1:${v.sipPort}`);
    const on = await v.until(callWhere((c) => c.direction === 'incoming' && c.state === 'connected' && c.video.local === 'on'));
    expect(on.video.remote).toBe('on');
    const sec = await v.until(securityWhere((s) => s.callId === on.callId && s.perStream.video?.state === 'secure' && s.perStream.audio?.state === 'secure'));
    expect(sec.mode).toBe('sdes');
    await baresip.waitFor(/srtp: video: SRTP is Enabled/);
    await baresip.waitFor(/video: receiving with resolution \d+ x \d+/);
    const video = await v.until(statsWhere('video', 20), 10_000);
    expect(video.dropped.auth).toBe(0);
  }, 30_000);

  it('a baresip without vp8 declines the video stream: declinedByPeer, and the audio call goes on', async () => {
    const [b, v, callId] = await connect(false);
    await v.core.invoke('addVideo', { callId });
    const declined = await v.until(callWhere((c) => c.callId === callId && c.video.declinedByPeer));
    expect(declined).toMatchObject({ state: 'connected', video: { local: 'off', remote: 'off' } });
    const before = v.events.length;
    // Audio still arrives after the refusal: a later stats report with more packets.
    const last = (v.events.filter((e) => e.type === 'stats').at(-1) as { stats: { streams: StreamStats[] } } | undefined)?.stats.streams.find((s) => s.stream === 'audio')?.packetsReceived ?? 0;
    const later = await v.until((e) => (v.events.indexOf(e) >= before ? statsWhere('audio', last + 40)(e) : undefined), 10_000);
    expect(later.dropped.auth).toBe(0);
    expect(v.events.some((e) => e.type === 'callState' && e.call.state === 'ended')).toBe(false);
    expect(b.output).not.toMatch(/terminated/);
  }, 30_000);
});
