// Vouch ↔ linphonec (Debian linphone-cli 5.1) with ICE + TURN across two home NATs (issue 19; root,
// network namespaces). linphonec sits behind ra (cone), registered to the lab's Kamailio as
// carol@lab.test, with the linphonerc recipe of ../linphone/linphonec-ice.ts (nat_policy with
// stun,turn,ice; a [proxy_0] so its TURN auth callback finds the password) and rtcp_mux=1, since
// Vouch's ICE is one component with rtcp-mux. Vouch sits behind rb (symmetric) and calls carol by
// AOR: the only path is through coturn. Both must show the same SAS and hear each other.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, ADDR, labSkipReason } from './lab';
import { startIcePublicSide, LAB_DOMAIN, LAB_PASSWORD, LAB_TURN_PASSWORD, LAB_TURN_REALM, LAB_TURN_USER } from './services';
import { startVouch, passwordFile, isSecure, isAudioPath, receivedTone, type VouchNs } from './vouch-ns';
import { which } from '../peers';
import { startLinphonec } from './linphonec-ns';
import { linphonecIceRc } from '../linphone/linphonec-ice';
import { authToken, callEnded, finishedRecording, sasFromBzrtp, writeToneWav } from '../linphone-call/helpers';

const skip = labSkipReason() ?? (which('linphonec') ? undefined : 'linphonec not found (apt-get install linphone-cli)');
const LINPHONE_HZ = 440;
const VOUCH_HZ = 1000;

describe.skipIf(skip)('ICE through home NATs: Vouch ↔ linphonec via Kamailio and coturn', () => {
  let lab: Lab;
  let caseRoot: string;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    caseRoot = mkdtempSync(join(tmpdir(), 'vouch-lab-ice-linphone-'));
    lab = await Lab.create();
    await startIcePublicSide(lab);
  }, 30_000);
  // One linphonec at a time in 'ha' (it binds 5060 there).
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  afterAll(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await lab?.destroy();
    if (caseRoot) rmSync(caseRoot, { recursive: true, force: true });
  });

  for (const nat of [
    { name: 'cone-symmetric', ra: 'cone', rb: 'symmetric', relayed: true },
    { name: 'cone-cone', ra: 'cone', rb: 'cone', relayed: false },
    { name: 'symmetric-symmetric', ra: 'symmetric', rb: 'symmetric', relayed: true },
  ] as const)
  it(`linphonec (${nat.ra}) ↔ Vouch (${nat.rb}): secure ${nat.relayed ? 'through the relay' : 'directly through the NATs'}, same SAS, audio both ways`, async () => {
    lab.setNat('ra', nat.ra);
    lab.setNat('rb', nat.rb);
    const dir = join(caseRoot, nat.name);
    mkdirSync(dir, { recursive: true });
    const tone = join(dir, 'tone-440.wav');
    writeToneWav(tone, LINPHONE_HZ, 30);
    const lp = startLinphonec(lab, [
      '[sip]',
      'sip_port=5060',
      'sip_tcp_port=0',
      'sip_tls_port=0',
      'media_encryption=zrtp',
      'media_encryption_mandatory=1',
      `zrtp_secrets_db_uri=${join(dir, 'zrtp-secrets.db')}`,
      '[rtp]',
      'audio_rtp_port=7078',
      'video_rtp_port=9078',
      // Vouch's ICE is one component: RTP, RTCP and ZRTP on one port (RFC 5761).
      'rtcp_mux=1',
      '[video]',
      'enabled=0',
      ...linphonecIceRc({
        stunHost: `${ADDR.turn}:3478`,
        turnUser: LAB_TURN_USER,
        turnPassword: LAB_TURN_PASSWORD,
        realm: LAB_TURN_REALM,
        sipProxy: `sip:${ADDR.kamailio}:5060;transport=udp`,
        identity: `sip:carol@${LAB_DOMAIN}`,
        register: true,
      }),
      // The SIP digest credentials for the registration (the TURN ones are auth_info_0).
      '[auth_info_1]',
      'username=carol',
      `passwd=${LAB_PASSWORD}`,
      `realm=${LAB_DOMAIN}`,
    ]);
    stops.push(async () => {
      await lp.stop();
      rmSync(lp.dir, { recursive: true, force: true });
    });
    lp.command('ipv6 disable');
    lp.command('soundcard use files');
    await lp.waitFor(/Using wav files instead of soundcard/, 10_000);
    lp.command(`play ${tone}`);
    const heard = join(dir, 'linphone-heard.wav');
    lp.command(`record ${heard}`);
    // linphonec 5.1 prints nothing on stdout for a registration; its log says it.
    await lp.waitFor(/to \[LinphoneRegistrationOk\]/, 15_000, true);

    const sip = passwordFile(join(dir, 'sip'), LAB_PASSWORD);
    const turn = passwordFile(join(dir, 'turn'), LAB_TURN_PASSWORD);
    const vouch: VouchNs = startVouch(lab, 'hb', 'vouch', dir, [
      'call',
      `sip:carol@${LAB_DOMAIN}`,
      ...['--account', `sip:bob@${LAB_DOMAIN}`, '--server', LAB_DOMAIN, '--password-file', sip, '--keepalive', '5'],
      ...['--stun', `${ADDR.turn}:3478`, '--turn', `${ADDR.turn}:3478`, '--turn-user', LAB_TURN_USER, '--turn-password-file', turn],
      ...['--tone', String(VOUCH_HZ), '--duration', '3'],
    ]);
    stops.push(() => vouch.stop());
    const secure = await vouch.next(isSecure, 20_000);
    const theirs = (await lp.waitFor(authToken(1), 10_000))[1];
    expect(secure.sas).toBe(sasFromBzrtp(theirs));
    const calling = vouch.lines.find((l) => l.event === 'state' && l.state === 'calling')!;
    // ZRTP starts at once on the SDP's path and may be secure before any ICE check succeeded
    // (call-media.ts, startZrtpWhenRouted): the path line can come after the secure one, so wait.
    const expected = nat.relayed ? /^relay$/ : /^(srflx|prflx)$/;
    const paths = () => JSON.stringify(vouch.lines.filter(isAudioPath));
    const path = await vouch.next((l) => isAudioPath(l) && expected.test(String(l.kind)), 15_000).catch(() => undefined);
    console.log(JSON.stringify({ case: `vouch-linphonec ${nat.name}`, inviteToSecureMs: Number((vouch.times[vouch.lines.indexOf(secure)] - vouch.times[vouch.lines.indexOf(calling)]).toFixed(1)), path: path?.kind, rttMs: path?.rttMs, pathAfterSecureMs: path && Number((vouch.times[vouch.lines.indexOf(path)] - vouch.times[vouch.lines.indexOf(secure)]).toFixed(1)) }));
    expect(path?.kind, paths()).toMatch(expected);
    expect(await vouch.exited).toBe(0);
    // The call ended on such a path: no later pair moved it elsewhere.
    expect(vouch.lines.filter(isAudioPath).at(-1)?.kind, paths()).toMatch(expected);
    expect(Math.abs(receivedTone(vouch.recordDir) - LINPHONE_HZ), 'linphonec → Vouch audio').toBeLessThan(30);
    // linphonec writes its WAV header when the call ends (Vouch hangs up after --duration).
    await lp.waitFor(callEnded(1), 10_000);
    const atLinphone = await finishedRecording(heard);
    expect(Math.abs(atLinphone.dominantHz - VOUCH_HZ), 'Vouch → linphonec audio').toBeLessThan(30);
  }, 60_000);
});
