// One ZRTP call between Vouch's engine and linphonec over loopback UDP, in either direction,
// returning both SAS values. Reusable by the call issues' interop tests.
import { randomBytes } from 'node:crypto';
import { LINPHONE_HELLO_WAV, startLinphone } from './linphone';
import { MiniSip, audioSdp, sdpAudio, sdpZrtpHash } from './sip-minimal';
import { ZrtpSocket } from './zrtp-socket';
import { sasFromBzrtp } from '../linphone-call/helpers';
import { peerPort, peerPorts } from '../ports';
import { checkSrtp, countAuthenticated } from './srtp-check';
import type { SrtpCheck } from './srtp-check';
import { MemoryZrtpCache } from '../../../src/crypto/zrtp';
import type { AlgorithmPreferences, ZrtpCache, ZrtpSecure } from '../../../src/crypto/zrtp';

export interface CallResult {
  readonly ours: ZrtpSecure;
  /** linphonec's "auth token" as printed on stdout. */
  readonly theirs: string;
  /** ms from our first ZRTP packet to secure. */
  readonly handshakeMs: number;
  /** SRTP both ways, when asked for. */
  readonly srtp?: SrtpCheck;
  /** linphonec's log (-d 6), for SRTP error checks. */
  readonly log: string;
}

/** SRTP video packets from linphonec that show its video keys work (its static picture sends a few per second). */
const VIDEO_PACKETS_ENOUGH = 10;

export interface CallOptions {
  readonly linphonec: string;
  readonly direction: 'vouch-calls' | 'linphone-calls';
  readonly sipSettings: Record<string, string>;
  readonly cache?: ZrtpCache;
  readonly zid?: Uint8Array;
  /** Our own algorithm preferences (default: the engine's). */
  readonly preferences?: AlgorithmPreferences;
  /** Send this many SRTP packets after going secure and check both directions. */
  readonly srtpPackets?: number;
  readonly srtcpTagLength?: number;
}

/** Our SSRC for ZRTP and RTP alike. */
const SSRC = 0x5640c4a1;

/** linphonec's stdout line for call n (its call ids count from 1). */
const authToken = (n: number) => new RegExp(`Call ${n} is fully encrypted and auth token is (\\S+?)\\.?\\s*$`, 'm');
const callEnded = (n: number) => new RegExp(`Call ${n} with .* ended`, 'm');

/** One call; see zrtpCalls. */
export async function zrtpCall(options: CallOptions): Promise<CallResult> {
  return (await zrtpCalls(options, 1))[0];
}

/**
 * `count` calls one after the other to the same linphonec (same ZRTP cache on both sides when
 * `options.cache` and `options.zid` are given), each with a fresh engine and RTP socket.
 */
export async function zrtpCalls(options: CallOptions, count: number): Promise<CallResult[]> {
  const sipPort = await peerPort();
  const rtpPort = await peerPorts(2, 2);
  const linphone = await startLinphone({ binary: options.linphonec, sipPort, rtpPort, sipSettings: options.sipSettings, playFile: options.srtpPackets ? LINPHONE_HELLO_WAV : undefined });
  const sip = await MiniSip.open();
  const zid = options.zid ?? new Uint8Array(randomBytes(12));
  const cache = options.cache ?? new MemoryZrtpCache();
  const results: CallResult[] = [];
  try {
    for (let n = 1; n <= count; n++) {
      const zrtp = await ZrtpSocket.open();
      try {
        const engine = zrtp.prepare({ ssrc: SSRC, zid, random: (k) => new Uint8Array(randomBytes(k)), cache, preferences: options.preferences });
        const sdp = audioSdp(zrtp.port, engine.helloHash());
        const started = Date.now();
        let bye: (() => Promise<void>) | undefined;
        if (options.direction === 'vouch-calls') {
          const call = await sip.invite(`sip:linphone@127.0.0.1:${sipPort}`, sipPort, sdp);
          zrtp.start(sdpAudio(call.answer), /a=zrtp-hash:(.*)/.exec(call.answer)?.[1]?.trim());
          bye = () => sip.bye(call.dialog, call.port);
        } else {
          const answered = sip.answer(() => sdp);
          linphone.command(`call sip:vouch@127.0.0.1:${sip.port}`);
          const { offer } = await answered;
          zrtp.start(sdpAudio(offer), /a=zrtp-hash:(.*)/.exec(offer)?.[1]?.trim());
        }
        const ours = await zrtp.secure(10_000);
        const handshakeMs = Date.now() - started;
        const theirs = sasFromBzrtp((await linphone.waitFor(authToken(n), 10_000))[1]);
        const srtp = options.srtpPackets ? await checkSrtp(zrtp, ours, SSRC, options.srtpPackets, options.srtcpTagLength) : undefined;
        if (bye) await bye();
        else linphone.command('terminate');
        await linphone.waitFor(callEnded(n), 5000);
        results.push({ ours, theirs, handshakeMs, srtp, log: linphone.log() });
      } finally {
        zrtp.close();
      }
    }
    return results;
  } finally {
    sip.close();
    await linphone.stop();
  }
}

export interface VideoCallResult {
  readonly audio: ZrtpSecure;
  readonly video: ZrtpSecure;
  readonly theirs: string;
  /** linphonec's video packets (SRTP under the multistream keys) that authenticated here. */
  readonly videoAuthenticated: number;
  readonly videoErrors: number;
}

/**
 * Vouch offers audio + VP8 video to linphonec (-V, static picture): audio keys with DH, then
 * video as a multistream session from the audio stream's ZRTPSess (RFC 6189 §4.4.3).
 */
export async function zrtpVideoCall(options: Omit<CallOptions, 'direction'>): Promise<VideoCallResult> {
  const sipPort = await peerPort();
  const rtpPort = await peerPorts(2, 2);
  const linphone = await startLinphone({ binary: options.linphonec, sipPort, rtpPort, videoRtpPort: await peerPorts(2, 2), sipSettings: options.sipSettings, video: true });
  const sip = await MiniSip.open();
  const audio = await ZrtpSocket.open();
  const video = await ZrtpSocket.open();
  const zid = options.zid ?? new Uint8Array(randomBytes(12));
  const cache = options.cache ?? new MemoryZrtpCache();
  const random = (k: number) => new Uint8Array(randomBytes(k));
  try {
    const audioEngine = audio.prepare({ ssrc: SSRC, zid, random, cache, preferences: options.preferences });
    const videoEngine = video.prepare({ ssrc: SSRC + 1, zid, random, cache, preferences: options.preferences });
    const sdp = audioSdp(audio.port, audioEngine.helloHash(), { port: video.port, zrtpHash: videoEngine.helloHash() });
    const call = await sip.invite(`sip:linphone@127.0.0.1:${sipPort}`, sipPort, sdp);
    if (!/^m=video [1-9]/m.test(call.answer)) throw new Error(`linphonec declined video:\n${call.answer}`);
    audio.start(sdpAudio(call.answer, 'audio'), sdpZrtpHash(call.answer, 'audio'));
    const audioSecure = await audio.secure(10_000);
    const parent = audioEngine.multistreamParent();
    if (!parent || !videoEngine.setMultistreamParent(parent)) throw new Error('no multistream parent');
    video.start(sdpAudio(call.answer, 'video'), sdpZrtpHash(call.answer, 'video'));
    const videoSecure = await video.secure(10_000);
    const theirs = sasFromBzrtp((await linphone.waitFor(authToken(1), 10_000))[1]);
    // Wait until linphonec's static picture has come as SRTP under the video keys (a few frames'
    // worth of packets), then count every packet received so far.
    const deadline = Date.now() + 10_000;
    while (countAuthenticated(video.media, videoSecure).authenticated < VIDEO_PACKETS_ENOUGH && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const counted = countAuthenticated(video.media, videoSecure);
    await sip.bye(call.dialog, call.port);
    return { audio: audioSecure, video: videoSecure, theirs, videoAuthenticated: counted.authenticated, videoErrors: counted.errors };
  } finally {
    audio.close();
    video.close();
    sip.close();
    await linphone.stop();
  }
}
