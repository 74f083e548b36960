// Full Vouch calls (AppCore) with linphonec pinned to one ZRTP algorithm each ([sip]
// zrtp_*_suites): X255, DH3k, HS32, B256 and EC38+S384+AES3. The SAS matches, both sides name the
// same algorithms (Vouch's security details vs bzrtp's log), and SRTP under those keys carries
// each side's tone to the other (Vouch's WAV, linphonec's `record` file).
//
// Debian's bzrtp is built without EC25/EC38: pinned to EC38 its Hello offers DH3k (mandatory,
// RFC 6189 §5.1.5), so "EC38+S384+AES3" runs as DH3k+S384+AES3.
// Vouch's settings choose key agreements and the SAS type; hash, cipher and auth tag stay at
// Vouch's defaults (S256, AES1, HS80 first). bzrtp lists the mandatory S256/AES1/HS80 beside its
// pins, so the pinned hash/cipher/tag is used when linphonec is the initiator, and Vouch's
// default when Vouch wins the §4.2 Commit contention (hvi comparison: either may win).
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPeer } from './peers';
import { startLinphone } from './zrtp/linphone';
import type { Linphone } from './zrtp/linphone';
import { VouchPeers } from './vouch-peer';
import { callWhere, securityWhere } from './vouch-events';
import type { VouchPeer } from './vouch-peer';
import type { SecurityInfo, Settings } from '../../src/shared/api';
import { authToken, callEnded, finishedRecording, linphoneAlgorithms, sasFromBzrtp, waitForLog, writeToneWav } from './linphone-call/helpers';
import { hangUpAll } from './linphone-call/session';
import { peerPort, peerPorts } from './ports';

const linphonec = findPeer('linphonec', 'linphone-cli');

interface PinnedRun {
  readonly sipSettings: Record<string, string>;
  readonly direction: 'vouch-calls' | 'linphone-calls';
  readonly vouchZrtp?: Partial<Settings['zrtp']>;
}

describe.skipIf(!linphonec)('Vouch (AppCore) with linphonec pinned to one ZRTP algorithm', () => {
  const peers = new VouchPeers();
  const dir = mkdtempSync(join(tmpdir(), 'vouch-linphone-pinned-'));
  const tone = join(dir, 'tone-440.wav');
  let vouch: VouchPeer;
  let linphone: Linphone | undefined;
  let runs = 0;

  beforeAll(async () => {
    writeToneWav(tone, 440, 30);
    vouch = await peers.start({ autoAnswer: true });
  });

  afterEach(async () => {
    await hangUpAll(vouch);
    await linphone?.stop();
    linphone = undefined;
  });

  afterAll(async () => {
    await peers.closeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One call with a freshly started, pinned linphonec; returns Vouch's view once both tones were checked. */
  async function pinnedCall(run: PinnedRun): Promise<SecurityInfo> {
    const started = Date.now();
    const sipPort = await peerPort();
    const lp = await startLinphone({ binary: linphonec as string, sipPort, rtpPort: await peerPorts(2, 2), videoRtpPort: await peerPorts(2, 2), sipSettings: run.sipSettings, playFile: tone });
    linphone = lp;
    const recording = join(dir, `linphone-received-${++runs}.wav`);
    lp.command(`record ${recording}`);
    await vouch.core.invoke('updateSettings', { patch: { zrtp: { keyAgreement: ['X255', 'EC25', 'DH3k', 'EC38'], sasType: 'B32', ...run.vouchZrtp } } });
    const from = vouch.events.length;
    if (run.direction === 'vouch-calls') await vouch.core.invoke('call', { uri: `sip:linphone@127.0.0.1:${sipPort}` });
    else lp.command(`call sip:vouch@127.0.0.1:${vouch.sipPort}`);
    const ours = await vouch.until(securityWhere((s) => s.state === 'secure'), 10_000, from);
    expect(ours.sas).toBe(sasFromBzrtp((await lp.waitFor(authToken(1), 10_000))[1]));
    // bzrtp logs its choice next to the SAS; the log file may lag stdout a little.
    const chosen = (await waitForLog(() => lp.log(), /ZRTP algo used during negotiation: .*/, 3000))[0];
    expect(linphoneAlgorithms(chosen)).toEqual({ cipher: ours.details.cipher, keyAgreement: ours.details.keyAgreement, hash: ours.details.hash, authTag: ours.details.authTag, sasType: ours.details.sasType });

    // A second of SRTP each way under the pinned suite: no authentication failure here.
    const stats = await vouch.until((e) => (e.type === 'stats' && e.stats.callId === ours.callId && (e.stats.streams.find((s) => s.stream === 'audio')?.packetsReceived ?? 0) >= 50 ? e.stats : undefined), 8000, from);
    const audio = stats.streams.find((s) => s.stream === 'audio');
    expect(audio?.protectFailures).toBe(0);
    expect(audio?.dropped.auth).toBe(0);
    await vouch.core.invoke('hangup', { callId: ours.callId });
    await lp.waitFor(callEnded(1), 5000);
    await vouch.until(callWhere((c) => c.callId === ours.callId && c.state === 'ended'), 5000, from);

    const atVouch = await finishedRecording(join(vouch.dataDir, 'received.wav'));
    const atLinphone = await finishedRecording(recording);
    expect(Math.abs(atVouch.dominantHz - 440)).toBeLessThan(10);
    expect(Math.abs(atLinphone.dominantHz - 1000)).toBeLessThan(10);
    console.log(JSON.stringify({ test: 'linphone-call-algorithms', pinned: run.sipSettings, direction: run.direction, details: ours.details, sas: ours.sas, ms: Date.now() - started }));
    return ours;
  }

  it('X255: Vouch calls, key agreement X255', async () => {
    const s = await pinnedCall({ direction: 'vouch-calls', sipSettings: { zrtp_key_agreements_suites: 'MS_ZRTP_KEY_AGREEMENT_X255' }, vouchZrtp: { keyAgreement: ['X255'] } });
    expect(s.details.keyAgreement).toBe('X255');
  }, 20_000);

  it('DH3k: linphonec calls, key agreement DH3k', async () => {
    const s = await pinnedCall({ direction: 'linphone-calls', sipSettings: { zrtp_key_agreements_suites: 'MS_ZRTP_KEY_AGREEMENT_DH3K' }, vouchZrtp: { keyAgreement: ['DH3k'] } });
    expect(s.details.keyAgreement).toBe('DH3k');
  }, 20_000);

  it('HS32: SRTP with the 32-bit tag (SRTCP too) when it is chosen, HS80 otherwise', async () => {
    const s = await pinnedCall({ direction: 'vouch-calls', sipSettings: { zrtp_key_agreements_suites: 'MS_ZRTP_KEY_AGREEMENT_X255', zrtp_auth_suites: 'MS_ZRTP_AUTHTAG_HS32' } });
    expect(['HS32', 'HS80']).toContain(s.details.authTag);
    expect(s.details.srtpSuite).toBe(s.details.authTag === 'HS32' ? 'AES_CM_128_HMAC_SHA1_32' : 'AES_CM_128_HMAC_SHA1_80');
  }, 20_000);

  it('B256: linphonec calls, SAS as two PGP words', async () => {
    const s = await pinnedCall({ direction: 'linphone-calls', sipSettings: { zrtp_key_agreements_suites: 'MS_ZRTP_KEY_AGREEMENT_X255', zrtp_sas_suites: 'MS_ZRTP_SAS_B256' }, vouchZrtp: { sasType: 'B256' } });
    expect(s.sasType).toBe('B256');
    expect(s.sas).toMatch(/^\w+ \w+$/);
  }, 20_000);

  it('EC38+S384+AES3 (bzrtp without EC38: DH3k+S384+AES3): linphonec calls', async () => {
    const s = await pinnedCall({
      direction: 'linphone-calls',
      sipSettings: { zrtp_key_agreements_suites: 'MS_ZRTP_KEY_AGREEMENT_EC38', zrtp_hash_suites: 'MS_ZRTP_HASH_S384', zrtp_cipher_suites: 'MS_ZRTP_CIPHER_AES3' },
      vouchZrtp: { keyAgreement: ['EC38', 'DH3k'] },
    });
    expect(s.details.keyAgreement).toBe('DH3k');
    expect(['S384', 'S256']).toContain(s.details.hash);
    expect(['AES3', 'AES1']).toContain(s.details.cipher);
  }, 20_000);
});
