// GStreamer decodes Vouch's SRTP video on its own. In an SDES call with a sipp UAS (its scenario
// refuses the ZRTP offer with 488, answers the SDES one with its own a=crypto and takes the video
// Vouch adds by re-INVITE), the test listens where sipp's answer put the media, records Vouch's
// SRTP packets, reads the key Vouch sends with from Vouch's INVITEs in sipp's message log (RFC 4568:
// the offerer's key protects what the offerer sends; the key leaves Vouch in the SDP and nowhere
// else), and `udpsrc ! srtpdec ! rtpvp8depay ! vp8dec` decodes every frame.
// sipp's audio answer declines rtcp-mux, as baresip's does: SRTCP then runs on the next ports in
// both directions (RFC 5761 §5.1.1), checked with a Receiver Report the test sends as sipp's side.
import { afterEach, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import type { StreamStats } from '../../src/shared/api';
import { ntpMiddle32 } from '../../src/main/media/rtcp';
import { findPeer } from './peers';
import { SCENARIOS, runSipp, type SippProcess } from './sipp/sipp';
import { startVouch, type VouchPeer } from './vouch-peer';
import { securityWhere, callWhere } from './vouch-events';
import { decodeSrtpVp8, isRtcp } from './media-peers/gst-srtp-vp8';
import { protectedReceiverReport, unprotectedRtcpType } from './media-peers/srtcp-report';
import { peerPort } from './ports';

const sipp = findPeer('sipp', 'sip-tester');
const gst = findPeer('gst-launch-1.0', 'gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad');

/** The key sipp's scenario answers audio with (bytes 0..29, base64 in uas-sdes-video.xml). */
const SIPP_AUDIO_KEY = Uint8Array.from({ length: 30 }, (_, i) => i);

function bind(port = 0): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', (e) => (s.close(), reject(e)));
    s.bind(port, '127.0.0.1', () => resolve(s));
  });
}

/** An RTP port and the RTCP port right above it (RFC 3550 §11), both bound. */
async function bindPair(): Promise<[Socket, Socket]> {
  for (let attempt = 0; ; attempt++) {
    const rtp = await bind();
    try {
      return [rtp, await bind(rtp.address().port + 1)];
    } catch (e) {
      rtp.close();
      if (attempt === 5) throw e;
    }
  }
}

/** The tag-1 key||salt on the `kind` m-line of Vouch's last INVITE that has one, from sipp's log. */
function offeredKey(messages: string, kind: 'audio' | 'video'): { suite: string; keySalt: Uint8Array } | undefined {
  const invites = messages.split(/(?=INVITE sip:)/).filter((m) => m.startsWith('INVITE sip:') && m.includes(`m=${kind}`) && m.includes('a=crypto:'));
  const section = invites.at(-1)?.split(/\r?\nm=/).find((s) => s.startsWith(kind));
  const m = section && /a=crypto:1 (\S+) inline:([A-Za-z0-9+/]+={0,2})/.exec(section);
  return m ? { suite: m[1], keySalt: new Uint8Array(Buffer.from(m[2], 'base64')) } : undefined;
}

describe.skipIf(!sipp || !gst)('SDES call with a sipp UAS: GStreamer decodes Vouch SRTP video, SRTCP without rtcp-mux', () => {
  const sockets: Socket[] = [];
  let vouch: VouchPeer | undefined;
  let uas: SippProcess | undefined;
  afterEach(async () => {
    await vouch?.close();
    uas?.kill();
    for (const s of sockets.splice(0)) s.close();
    vouch = uas = undefined;
  });

  it('srtpdec + vp8dec decode the VP8 stream Vouch adds; SRTCP flows both ways on the RTCP ports', async () => {
    const [audio, audioRtcp] = await bindPair();
    const video = await bind();
    sockets.push(audio, audioRtcp, video);
    const packets: Buffer[] = [];
    video.on('message', (p: Buffer) => {
      // Shorter than an RTP header: Vouch's empty port-unreachable probes to a silent peer.
      if (p.length >= 12 && !isRtcp(p) && packets.length < 400) packets.push(p);
    });
    let vouchAudio: { ssrc: number; port: number } | undefined;
    audio.on('message', (p: Buffer, from) => (vouchAudio ??= p.length < 12 || isRtcp(p) ? undefined : { ssrc: p.readUInt32BE(8), port: from.port }));
    const vouchRtcp: Buffer[] = [];
    audioRtcp.on('message', (p: Buffer) => vouchRtcp.length < 20 && vouchRtcp.push(p));

    const sipPort = await peerPort();
    uas = runSipp(sipp!, ['-sf', `${SCENARIOS}uas-sdes-video.xml`, '-p', String(sipPort), '-m', '2', '-key', 'audio_port', String(audio.address().port), '-key', 'video_port', String(video.address().port)], 20_000);
    vouch = await startVouch({ mediaSecurity: 'allow-sdes' });
    const v = vouch;
    const { callId } = await v.core.invoke('call', { uri: `sip:sipp@127.0.0.1:${sipPort}` });
    await v.until(securityWhere((s) => s.callId === callId && s.mode === 'sdes' && s.state === 'secure'));
    await v.core.invoke('addVideo', { callId });
    await v.until(callWhere((c) => c.callId === callId && c.video.local === 'on'));

    // sipp's side reports on Vouch's audio: LSR 250 ms ago, no delay, so Vouch must measure an RTT
    // of about 250 ms, from a packet that reached its RTCP port (its RTP port + 1, no a=rtcp line).
    for (let i = 0; i < 100 && !vouchAudio; i++) await new Promise((r) => setTimeout(r, 20));
    expect(vouchAudio).toBeDefined();
    const rr = protectedReceiverReport(SIPP_AUDIO_KEY, { senderSsrc: 0x51bb0001, reporteeSsrc: vouchAudio!.ssrc, lastSenderReport: ntpMiddle32(Date.now() - 250), delaySinceLastSenderReport: 0 });
    audioRtcp.send(rr, vouchAudio!.port + 1, '127.0.0.1');
    const rtt = await v.until((e) => (e.type === 'stats' ? e.stats.streams.find((s): s is StreamStats => s.stream === 'audio' && s.rttMs > 0) : undefined), 5000);
    expect(rtt.rttMs).toBeGreaterThan(240);
    expect(rtt.rttMs).toBeLessThan(500);

    // About three seconds of the clip (15 frames/s).
    const deadline = Date.now() + 8000;
    while (packets.length < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await v.core.invoke('hangup', { callId });
    const result = await uas.done;
    expect(result.code, result.errors || result.stdout.slice(-2000)).toBe(0);

    // Vouch's own SRTCP (sender reports, every second) went to sipp's RTCP port, under its audio key.
    const audioKey = offeredKey(result.messages, 'audio');
    expect(audioKey?.suite).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(vouchRtcp.length).toBeGreaterThan(0);
    expect(vouchRtcp.map((p) => unprotectedRtcpType(audioKey!.keySalt, p))).toContain(200);

    const key = offeredKey(result.messages, 'video');
    expect(key?.suite).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(key!.keySalt.length).toBe(30);
    expect(packets.length).toBeGreaterThanOrEqual(50);
    const payloadType = packets[0][1] & 0x7f;
    const { decoded, output } = await decodeSrtpVp8(gst!, await peerPort(), { packets, keySalt: key!.keySalt, payloadType });
    const frames = new Set(packets.map((p) => p.readUInt32BE(4))).size;
    expect(decoded, output.slice(-2000)).toBeGreaterThanOrEqual(frames - 1);
    expect(decoded).toBeGreaterThan(10);
    // The control: one bit off in the key and srtpdec lets nothing through.
    const wrong = Uint8Array.from(key!.keySalt);
    wrong[0] ^= 1;
    expect((await decodeSrtpVp8(gst!, await peerPort(), { packets, keySalt: wrong, payloadType }, 1500)).decoded).toBe(0);
  }, 40_000);
});
