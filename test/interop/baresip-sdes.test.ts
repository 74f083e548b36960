// Vouch and baresip (Debian baresip-core, srtp module, no ZRTP) call each other with "allow SDES":
// the call is keyed by SDES (RFC 4568) and shown as "encrypted, not end-to-end"; SRTP audio flows
// both ways and each side decodes the other's tone (baresip's sndfile filter records what it
// decoded). Both of baresip's modes: srtp-mand (RTP/SAVP) and best-effort srtp (RTP/AVP with
// a=crypto). The refusals under "ZRTP required" are in baresip-policy.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { ZRTP_HELLO_TIMEOUT_MS } from '../../src/main/call/call-security';
import { findPeer } from './peers';
import { callWhere, securityWhere, statsWhere } from './vouch-events';
import type { VouchPeer } from './vouch-peer';
import type { SdesBaresip } from './media-peers/sdes-baresip';
import { sdesCallPair } from './media-peers/sdes-call-pair';
import { recordedToneHz } from './media-peers/wav-tone';

const baresipBin = findPeer('baresip', 'baresip-core');

/** Vouch sends 1 kHz, baresip 600 Hz: each recording must hold the other side's tone. */
const VOUCH_HZ = 1000;
const BARESIP_HZ = 600;

describe.skipIf(!baresipBin)('SDES calls with baresip (allow-sdes)', () => {
  const pair = sdesCallPair({ bin: baresipBin!, mediaSecurity: 'allow-sdes', baresipHz: BARESIP_HZ, vouchHz: VOUCH_HZ });
  afterEach(() => pair.close());
  const start = pair.start;

  /** Resolves once baresip's recording of what it decoded holds `seconds` of 8 kHz 16-bit audio. */
  const untilDecoded = async (p: SdesBaresip, seconds: number, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    const enough = 44 + 8000 * 2 * seconds;
    for (;;) {
      const wav = p.decodedWav();
      const size = wav ? statSync(wav).size : 0;
      if (size >= enough) return;
      if (Date.now() > deadline) throw new Error(`baresip decoded ${size} bytes of WAV within ${timeoutMs} ms, wanted ${enough}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  /**
   * Audio flows, then Vouch hangs up; both recordings hold the other side's tone. `plainFirst`:
   * the call ran on plain RTP before SDES keyed it (a best-effort baresip took the ZRTP offer), so
   * plain packets baresip sent before it took the SDES re-offer may still arrive after Vouch's keys
   * and fail authentication (more of them on a loaded machine); none may fail once SRTP flows.
   */
  const checkSdesAudio = async (p: SdesBaresip, v: VouchPeer, callId: number, plainFirst = false): Promise<void> => {
    const b = p.baresip;
    const sec = await v.until(securityWhere((s) => s.callId === callId && s.state === 'secure'));
    expect(sec).toMatchObject({ mode: 'sdes', label: 'encrypted, not end-to-end', sas: '', details: { srtpSuite: 'AES_CM_128_HMAC_SHA1_80' } });
    expect(sec.perStream.audio).toMatchObject({ state: 'secure', multistream: false });
    await b.waitFor(/srtp: audio: SRTP is Enabled \(cryptosuite=AES_CM_128_HMAC_SHA1_80\)/);
    // baresip hands RTP to the stream only after its SRTP check passed.
    await b.waitFor(/incoming rtp for 'audio' established/);
    const keyed = plainFirst ? await v.until(statsWhere('audio', 1), 10_000, v.events.length) : undefined;
    const stats = await v.until(statsWhere('audio', (keyed?.packetsReceived ?? 0) + 75), 10_000);
    expect(stats.dropped.auth).toBe(keyed?.dropped.auth ?? 0);
    expect(stats.dropped.replay).toBe(0);
    expect(stats.protectFailures).toBe(0);
    // Vouch's count says what Vouch received; what baresip decoded is waited for on its own, so a
    // loaded machine (a parallel test file) cannot end the call before baresip holds enough to check.
    await untilDecoded(p, 1.5);
    const at = b.output.length;
    await v.core.invoke('hangup', { callId });
    await b.waitFor(/terminated/, 5000, at);
    await v.stop();
    const decoded = p.decodedWav();
    expect(decoded, 'baresip recorded what it decoded').toBeDefined();
    expect(Math.abs((recordedToneHz(decoded!) as number) - VOUCH_HZ)).toBeLessThan(30);
    expect(Math.abs((recordedToneHz(v.receivedWav) as number) - BARESIP_HZ)).toBeLessThan(30);
  };

  it('Vouch calls baresip (srtp-mand): ZRTP refused with 488, the SDES retry connects, SRTP audio both ways', async () => {
    const [p, v] = await start(false, 'srtp-mand');
    const { callId } = await v.core.invoke('call', { uri: p.baresip.uri });
    await v.until(callWhere((c) => c.callId === callId && c.state === 'connected'));
    // The first (ZRTP, RTP/AVP) offer met baresip's srtp-mand: refused before the SDES retry.
    expect(p.baresip.output).toMatch(/no common audio codecs - rejected/);
    await checkSdesAudio(p, v, callId);
  }, 30_000);

  it('baresip (srtp-mand) calls Vouch with RTP/SAVP and a=crypto: Vouch answers SDES, SRTP audio both ways', async () => {
    const [p, v] = await start(true, 'srtp-mand');
    p.baresip.send(`/dial sip:vouch@127.0.0.1:${v.sipPort}`);
    const call = await v.until(callWhere((c) => c.direction === 'incoming' && c.state === 'connected'));
    await p.baresip.waitFor(/Call established/);
    await checkSdesAudio(p, v, call.callId);
  }, 30_000);

  it('baresip in best-effort mode (srtp: RTP/AVP with a=crypto) calls Vouch: answered SDES on RTP/AVP, SRTP audio both ways', async () => {
    const [p, v] = await start(true, 'srtp');
    p.baresip.send(`/dial sip:vouch@127.0.0.1:${v.sipPort}`);
    const call = await v.until(callWhere((c) => c.direction === 'incoming' && c.state === 'connected'));
    await p.baresip.waitFor(/Call established/);
    await checkSdesAudio(p, v, call.callId);
  }, 30_000);

  it('Vouch calls a best-effort baresip (srtp): no ZRTP Hello comes, so Vouch re-offers SDES and the call goes on keyed by SDES', async () => {
    const [p, v] = await start(false, 'srtp');
    const { callId } = await v.core.invoke('call', { uri: p.baresip.uri });
    await v.until(callWhere((c) => c.callId === callId && c.state === 'connected'));
    const sec = await v.until(securityWhere((s) => s.callId === callId && s.mode === 'sdes' && s.state === 'secure'), ZRTP_HELLO_TIMEOUT_MS + 10_000);
    expect(sec.warnings.map((w) => w.message).join('\n')).toMatch(/did not start ZRTP/);
    await checkSdesAudio(p, v, callId, true);
  }, 40_000);
});
