// Full Vouch calls (AppCore: SIP, media worker, ZRTP, SRTP) with linphonec (Debian linphone-cli,
// bzrtp) as the peer on 127.0.0.1, both directions: the SAS Vouch shows equals the one linphonec
// prints; linphonec's 440 Hz `play` file arrives in Vouch's WAV and Vouch's 1 kHz tone arrives in
// linphonec's `record` file; either side hangs up and both see the end; once both verified the
// SAS, the next call comes up Verified from the ZRTP cache (RFC 6189 §4.6.1, §7.1).
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPeer } from './peers';
import type { Linphone } from './zrtp/linphone';
import { VouchPeers } from './vouch-peer';
import { callWhere, securityWhere } from './vouch-events';
import type { VouchPeer } from './vouch-peer';
import { authToken, callEnded, finishedRecording, srtpProblems, waitForLog, writeToneWav } from './linphone-call/helpers';
import { endSessionCalls, startLinphoneSession } from './linphone-call/session';

const linphonec = findPeer('linphonec', 'linphone-cli');
/** What linphonec plays: far from Vouch's 1 kHz, so each side's recording proves the other's tone. */
const LINPHONE_TONE_HZ = 440;
const VOUCH_TONE_HZ = 1000;

describe.skipIf(!linphonec)('Vouch (AppCore) with linphonec: audio calls', () => {
  const peers = new VouchPeers();
  const dir = mkdtempSync(join(tmpdir(), 'vouch-linphone-call-'));
  let linphone: Linphone;
  let linphoneUri = '';
  let vouch: VouchPeer;
  /** linphonec numbers its calls 1, 2, ... for its whole life. */
  let linphoneCall = 0;

  beforeAll(async () => {
    const tone = join(dir, 'tone-440.wav');
    writeToneWav(tone, LINPHONE_TONE_HZ, 30);
    ({ linphone, linphoneUri, vouch } = await startLinphoneSession(peers, linphonec as string, { playFile: tone }));
  });

  // A failed test must not leave a call up in linphonec (it would not auto-answer the next one).
  afterEach(async () => {
    linphoneCall = await endSessionCalls({ linphone, linphoneUri, vouch });
  });

  afterAll(async () => {
    await peers.closeAll();
    await linphone?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Vouch calls linphonec: same SAS, each side records the other tone, Vouch hangs up', async () => {
    const n = ++linphoneCall;
    const recording = join(dir, `linphone-received-${n}.wav`);
    linphone.command(`record ${recording}`);
    const from = vouch.events.length;
    const logFrom = linphone.log().length;
    const started = Date.now();
    const { callId } = await vouch.core.invoke('call', { uri: linphoneUri });
    const ours = await vouch.until(securityWhere((s) => s.callId === callId && s.state === 'secure'), 10_000, from);
    const secureMs = Date.now() - started;
    const theirs = (await linphone.waitFor(authToken(n), 10_000))[1];
    expect(ours.sas).toMatch(/^[a-z0-9]{4}$/);
    expect(ours.sas).toBe(theirs);
    expect(ours.details.srtpSuite).toMatch(/^AES_CM_128_HMAC_SHA1_(80|32)$/);
    expect(ours.perStream.audio).toEqual({ state: 'secure', multistream: false });
    // Two seconds of tone each way, then the stats say SRTP flowed with no failure.
    const stats = await vouch.until((e) => (e.type === 'stats' && e.stats.callId === callId && (e.stats.streams.find((s) => s.stream === 'audio')?.packetsReceived ?? 0) >= 100 ? e.stats : undefined), 8000, from);
    const audio = stats.streams.find((s) => s.stream === 'audio');
    expect(audio?.protectFailures).toBe(0);
    expect(audio?.dropped.auth).toBe(0);
    expect(audio?.packetsSent).toBeGreaterThan(50);

    await vouch.core.invoke('hangup', { callId });
    await linphone.waitFor(callEnded(n), 5000);
    const ended = await vouch.until(callWhere((c) => c.callId === callId && c.state === 'ended'), 5000, from);
    expect(ended.endReason).toBe('local-hangup');

    const atVouch = await finishedRecording(join(vouch.dataDir, 'received.wav'));
    expect(Math.abs(atVouch.dominantHz - LINPHONE_TONE_HZ)).toBeLessThan(10);
    expect(atVouch.rms).toBeGreaterThan(1000);
    const atLinphone = await finishedRecording(recording);
    expect(Math.abs(atLinphone.dominantHz - VOUCH_TONE_HZ)).toBeLessThan(10);
    expect(atLinphone.rms).toBeGreaterThan(1000);
    expect(srtpProblems(linphone.log().slice(logFrom))).toEqual([]);
    console.log(JSON.stringify({ test: 'linphone-call-audio vouch-calls', secureMs, sas: ours.sas, details: ours.details, vouchHeardHz: atVouch.dominantHz, linphoneHeardHz: atLinphone.dominantHz }));
  }, 20_000);

  it('linphonec calls Vouch: same SAS, linphonec hangs up (terminate) and Vouch sees remote-hangup', async () => {
    const n = ++linphoneCall;
    const from = vouch.events.length;
    linphone.command(`call sip:vouch@127.0.0.1:${vouch.sipPort}`);
    const ours = await vouch.until(securityWhere((s) => s.state === 'secure'), 10_000, from);
    const theirs = (await linphone.waitFor(authToken(n), 10_000))[1];
    expect(ours.sas).toBe(theirs);
    const incoming = await vouch.until(callWhere((c) => c.callId === ours.callId && c.direction === 'incoming' && c.state === 'connected'), 5000, from);
    // linphonec puts a guessed host address in its From (not the 127.0.0.1 it binds to).
    expect(incoming.remoteUri).toMatch(/^sip:linphone@/);
    await vouch.until((e) => (e.type === 'stats' && e.stats.callId === ours.callId && (e.stats.streams[0]?.packetsReceived ?? 0) > 20 ? e : undefined), 5000, from);

    linphone.command('terminate');
    await linphone.waitFor(callEnded(n), 5000);
    const ended = await vouch.until(callWhere((c) => c.callId === ours.callId && c.state === 'ended'), 5000, from);
    expect(ended.endReason).toBe('remote-hangup');
    const atVouch = await finishedRecording(join(vouch.dataDir, 'received.wav'));
    expect(Math.abs(atVouch.dominantHz - LINPHONE_TONE_HZ)).toBeLessThan(10);
  }, 20_000);

  // bzrtp keeps one ZID per local SIP URI (its cache's selfURI): linphonec called at its
  // 127.0.0.1 address answers with a different ZID than when it places a call from its own
  // identity. So the Verified flag is checked across two calls in the same direction.
  it('both verify the SAS: the next call is Verified on both sides from the cache, with the same ZID', async () => {
    const verifiedCall = async (): Promise<{ sas: string; peerZid: string; verified: boolean; linphoneVerified: boolean; warnings: string[] }> => {
      const n = ++linphoneCall;
      const from = vouch.events.length;
      const logFrom = linphone.log().length;
      const { callId } = await vouch.core.invoke('call', { uri: linphoneUri });
      const s = await vouch.until(securityWhere((x) => x.callId === callId && x.state === 'secure'), 10_000, from);
      expect(s.sas).toBe((await linphone.waitFor(authToken(n), 10_000))[1]);
      // bzrtp logs what its cache said about the SAS: "SAS is xxxx previously verified yes|no".
      const previously = (await waitForLog(() => linphone.log(), /SAS is \S+ previously verified (yes|no)/, 3000, logFrom))[1];
      if (!s.verified) {
        linphone.command('zrtp-set-verified');
        await vouch.core.invoke('setSasVerified', { callId, verified: true });
      }
      await vouch.core.invoke('hangup', { callId });
      await linphone.waitFor(callEnded(n), 5000);
      return { sas: s.sas, peerZid: s.peerZid, verified: s.verified, linphoneVerified: previously === 'yes', warnings: s.warnings.map((w) => w.kind) };
    };
    const one = await verifiedCall();
    const two = await verifiedCall();
    expect(two.peerZid).toBe(one.peerZid);
    expect(two.verified).toBe(true);
    expect(two.linphoneVerified).toBe(true);
    expect(two.warnings).toEqual([]);
    const history = await vouch.core.invoke('getHistory', {});
    expect(history[0]).toMatchObject({ direction: 'outgoing', verified: true });
  }, 25_000);

  // linphonec's pause/resume are re-INVITEs that keep ZRTP and each stream's a=zrtp-hash: the
  // security policy lets them through, and Vouch's own hold reaches linphonec.
  it('hold both ways: linphonec pause/resume and Vouch hold pass the re-INVITE policy', async () => {
    const n = ++linphoneCall;
    const from = vouch.events.length;
    const { callId } = await vouch.core.invoke('call', { uri: linphoneUri });
    const secured = await vouch.until(securityWhere((s) => s.callId === callId && s.state === 'secure'), 10_000, from);
    expect(secured.sas).toBe((await linphone.waitFor(authToken(n), 10_000))[1]);

    linphone.command('pause');
    await linphone.waitFor(new RegExp(`Call ${n} with .* is now paused`), 5000);
    await vouch.until(callWhere((c) => c.callId === callId && c.remoteHeld), 5000, from);
    const held = vouch.events.length;
    linphone.command('resume');
    await vouch.until(callWhere((c) => c.callId === callId && !c.remoteHeld && c.state === 'connected'), 5000, held);

    await vouch.core.invoke('hold', { callId, on: true });
    await linphone.waitFor(new RegExp(`Call ${n} has been paused by`), 5000);
    await vouch.core.invoke('hold', { callId, on: false });
    const last = vouch.events.length;
    const sec = await vouch.until(securityWhere((s) => s.callId === callId), 1000, from);
    expect(sec.warnings.filter((w) => w.kind === 'policy-refused')).toEqual([]);
    expect(vouch.events.slice(from).filter((e) => e.type === 'security' && e.security.warnings.length > 0)).toEqual([]);
    // Audio flows again after both holds: the received count grows by a second's worth.
    const before = vouch.lastStats('audio')?.packetsReceived ?? 0;
    await vouch.until((e) => (e.type === 'stats' && e.stats.callId === callId && (e.stats.streams[0]?.packetsReceived ?? 0) > before + 40 ? e : undefined), 5000, last);
    await vouch.core.invoke('hangup', { callId });
    await linphone.waitFor(callEnded(n), 5000);
  }, 25_000);
});
