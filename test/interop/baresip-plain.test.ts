// A baresip without any media encryption, and a user who allowed unencrypted calls: no ZRTP
// Hello comes, so after the Hello timeout Vouch goes on with plain RTP (shown "not encrypted"),
// and audio flows both ways. Under the default policy the same call is ended (baresip-policy).
import { afterEach, describe, expect, it } from 'vitest';
import { ZRTP_HELLO_TIMEOUT_MS } from '../../src/main/call/call-security';
import { Baresip, baresipSipPort } from './baresip/baresip';
import { findPeer } from './peers';
import { startVouch, type VouchPeer } from './vouch-peer';
import { callWhere, securityWhere, statsWhere } from './vouch-events';
import { baresipRtpPorts } from './media-peers/sdes-baresip';
import { writeToneWav, recordedToneHz } from './media-peers/wav-tone';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const baresipBin = findPeer('baresip', 'baresip-core');

describe.skipIf(!baresipBin)('plain RTP when the user allows it', () => {
  let peer: Baresip | undefined;
  let vouch: VouchPeer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await vouch?.close();
    await peer?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Vouch calls a baresip without encryption: after the Hello timeout the call goes on unencrypted, audio both ways', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vouch-baresip-plain-'));
    const tone = join(dir, 'tone.wav');
    writeToneWav(tone, 600, 20);
    peer = await Baresip.start({ bin: baresipBin!, sipPort: await baresipSipPort(), rtpPort: await baresipRtpPorts(), autoAnswer: true, audioSource: `aufile,${tone}` });
    vouch = await startVouch({ mediaSecurity: 'allow-unencrypted' });
    const { callId } = await vouch.core.invoke('call', { uri: peer.uri });
    await vouch.until(callWhere((c) => c.callId === callId && c.state === 'connected'));
    const sec = await vouch.until(securityWhere((s) => s.callId === callId && s.mode === 'none'), ZRTP_HELLO_TIMEOUT_MS + 5000);
    expect(sec.label).toBe('not encrypted');
    // Two seconds of audio: the recording must hold more than a second for its tone to be measured.
    const stats = await vouch.until(statsWhere('audio', 100), 10_000);
    expect(stats.packetsSent).toBeGreaterThan(0);
    await vouch.core.invoke('hangup', { callId });
    await peer.waitFor(/terminated/);
    await vouch.stop();
    expect(Math.abs((recordedToneHz(vouch.receivedWav) as number) - 600)).toBeLessThan(30);
  }, 30_000);
});
