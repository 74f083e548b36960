// ARCHITECTURE.md "Security state only goes up": a hostile Record-Routing proxy between two Vouch
// AppCores in a ZRTP call rewrites a re-INVITE in flight and sends re-INVITEs of its own that drop
// ZRTP, swap in SDES, remove or change a=zrtp-hash. Each is refused with 488, the call goes on on
// its keys (same SAS, audio still flowing, no protect failures) and the victim is told what was
// tried. A Linphone-style re-INVITE (hashes unchanged, video added) is accepted; a known address
// answering with a new ZID raises "new identity" and drops Verified.
import { describe, it, expect, afterEach } from 'vitest';
import type { ApiEvent, SecurityWarning } from '../../src/shared/api';
import { HostileProxy } from './hostile-proxy';
import type { Side } from './hostile-proxy';
import { VouchPeers } from './vouch-peer';
import { callWhere, securityWhere, streamStats } from './vouch-events';
import type { VouchPeer } from './vouch-peer';

const peers = new VouchPeers();
let proxy: HostileProxy | undefined;
afterEach(async () => {
  await peers.closeAll();
  await proxy?.close();
  proxy = undefined;
});

// ---- SDP attacks (text edits, as a server would make them) -----------------------------------

/** A re-offer must carry a higher o= version (RFC 3264 §8); the attacker plays by that rule. */
function bumpVersion(sdp: string, by: number): string {
  return sdp.replace(/^(o=\S+ \S+ )(\d+)/m, (_m, head: string, v: string) => `${head}${BigInt(v) + BigInt(by)}`);
}

/** Splits an SDP into its session part and one chunk per m-line. */
function sections(sdp: string): string[][] {
  const out: string[][] = [[]];
  for (const line of sdp.split(/\r?\n/).filter((l) => l !== '')) {
    if (line.startsWith('m=')) out.push([]);
    out[out.length - 1].push(line);
  }
  return out;
}

function join(parts: string[][]): string {
  return parts.flat().join('\r\n') + '\r\n';
}

const dropZrtp = (sdp: string): string => sdp.replace(/^a=zrtp-hash:.*\r?\n/gm, '');

function swapInSdes(sdp: string): string {
  const parts = sections(dropZrtp(sdp));
  for (const p of parts.slice(1)) {
    p[0] = p[0].replace('RTP/AVP', 'RTP/SAVP');
    p.push(`a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${Buffer.alloc(30, 0x41).toString('base64')}`);
  }
  return join(parts);
}

function editAudioHash(sdp: string, edit: (line: string) => string | undefined): string {
  const parts = sections(sdp);
  const audio = parts.find((p) => p[0].startsWith('m=audio'))!;
  const i = audio.findIndex((l) => l.startsWith('a=zrtp-hash:'));
  const replaced = edit(audio[i]);
  if (replaced === undefined) audio.splice(i, 1);
  else audio[i] = replaced;
  return join(parts);
}

const removeAudioHash = (sdp: string): string => editAudioHash(sdp, () => undefined);
const changeAudioHash = (sdp: string): string => editAudioHash(sdp, (l) => l.replace(/[0-9a-f](?=[0-9a-f]{8}$)/, (c) => (c === '0' ? '1' : '0')));

/** A security event whose warnings include a policy refusal saying `says`. */
const policyRefused = (says: RegExp) => (e: ApiEvent) =>
  e.type === 'security' ? e.security.warnings.find((w): w is Extract<SecurityWarning, { kind: 'policy-refused' }> => w.kind === 'policy-refused' && says.test(w.message)) : undefined;

// ---- the call ------------------------------------------------------------------------------

async function securedCallThroughProxy(): Promise<{ alice: VouchPeer; bob: VouchPeer; aliceCallId: number; bobCallId: number; sas: string }> {
  const alice = await peers.start({ autoAnswer: false });
  const bob = await peers.start({ autoAnswer: true });
  proxy = await HostileProxy.start({ calleePort: bob.sipPort });
  const { callId } = await alice.core.invoke('call', { uri: proxy.uriFor('bob') });
  const a = await alice.until(securityWhere((s) => s.state === 'secure'));
  const b = await bob.until(securityWhere((s) => s.state === 'secure'));
  expect(a.sas).toBe(b.sas);
  return { alice, bob, aliceCallId: callId, bobCallId: b.callId, sas: a.sas };
}

/** After an attack on `victim`: still connected, same SAS, audio still arriving, no protect failures. */
async function expectCallUnharmed(victim: VouchPeer, callId: number, sas: string): Promise<void> {
  const before = victim.lastStats('audio')?.packetsReceived ?? 0;
  const from = victim.events.length;
  const later = await victim.until(streamStats('audio', (s) => s.packetsReceived > before + 10), 4000, from);
  for (const s of later.streams) expect(s.protectFailures).toBe(0);
  const snap = victim.core.snapshot();
  const call = snap.calls.find((c) => c.callId === callId);
  expect(call?.state).toBe('connected');
  const sec = snap.security.find((s) => s.callId === callId);
  expect(sec).toMatchObject({ state: 'secure', sas, mode: 'zrtp' });
}

function sipStatusOf(r: { status: number }): number {
  return r.status;
}

describe('a hostile SIP server cannot weaken a ZRTP call', () => {
  it('refuses four downgrade re-INVITEs with 488, keeps the call on its keys and tells the victim; accepts a Linphone-style add-video', async () => {
    const { alice, bob, aliceCallId, bobCallId, sas } = await securedCallThroughProxy();
    const p = proxy!;
    const initialOffer = p.lastSdp('caller');
    const audioHash = /^a=zrtp-hash:.*$/m.exec(sections(initialOffer)[1].join('\n'))?.[0];
    expect(audioHash).toBeDefined();

    // Accepted: Alice adds video; her re-INVITE crosses the proxy untouched, repeats the audio
    // stream's a=zrtp-hash unchanged (checked on the wire) and gives video its own.
    await alice.core.invoke('addVideo', { callId: aliceCallId });
    await bob.until(securityWhere((s) => s.perStream.video?.state === 'secure'), 8000);
    const reOffer = p.lastSdp('caller');
    const reParts = sections(reOffer);
    expect(reParts.length).toBe(3);
    expect(reParts[1].find((l) => l.startsWith('a=zrtp-hash:'))).toBe(audioHash);
    expect(reParts[2].find((l) => l.startsWith('a=zrtp-hash:'))).toMatch(/^a=zrtp-hash:1\.10 [0-9a-f]{64}$/);
    expect(bob.core.snapshot().security.find((s) => s.callId === bobCallId)?.warnings ?? []).toEqual([]);

    const attacks: { name: string; toward: Side; edit: (sdp: string) => string; says: RegExp; inFlight?: boolean }[] = [
      { name: 'plain RTP/AVP without zrtp-hash', toward: 'callee', edit: dropZrtp, says: /dropped ZRTP.*plain RTP/ },
      { name: 'SDES swapped in (in flight, on Alice\'s hold)', toward: 'callee', edit: swapInSdes, says: /SDES/, inFlight: true },
      { name: 'a=zrtp-hash removed', toward: 'caller', edit: removeAudioHash, says: /removed a=zrtp-hash/ },
      { name: 'a=zrtp-hash changed', toward: 'callee', edit: changeAudioHash, says: /changed the a=zrtp-hash/ },
    ];
    let version = 1000;
    for (const attack of attacks) {
      const victim = attack.toward === 'callee' ? bob : alice;
      const victimCallId = attack.toward === 'callee' ? bobCallId : aliceCallId;
      const eventsBefore = victim.events.length;
      const tracedBefore = p.seen.length;
      if (attack.inFlight) {
        p.rewriteNextReinvite(attack.edit);
        await expect(alice.core.invoke('hold', { callId: aliceCallId, on: true })).rejects.toThrow();
        const refused = p.seen.slice(tracedBefore).find((m) => m.from === 'callee' && m.message.type === 'response' && m.message.status >= 200 && /INVITE/.test(m.message.headers.get('cseq') ?? ''));
        expect(refused && refused.message.type === 'response' ? sipStatusOf(refused.message) : 0).toBe(488);
      } else {
        const base = p.lastSdp(attack.toward === 'callee' ? 'caller' : 'callee');
        const response = await p.sendReinvite(attack.toward, bumpVersion(attack.edit(base), (version += 10)));
        expect(response.status, attack.name).toBe(488);
      }
      const warning = await victim.until(policyRefused(attack.says), 3000, eventsBefore);
      expect(warning, attack.name).toMatchObject({ kind: 'policy-refused', sipStatus: 488 });
      expect(warning.message, attack.name).toMatch(attack.says);
      await expectCallUnharmed(victim, victimCallId, sas);
      await expectCallUnharmed(attack.toward === 'callee' ? alice : bob, attack.toward === 'callee' ? aliceCallId : bobCallId, sas);
    }
    // The real peers' own in-dialog requests still cross the renumbering proxy: hold works.
    await alice.core.invoke('hold', { callId: aliceCallId, on: true });
    await bob.until(callWhere((c) => c.callId === bobCallId && c.remoteHeld));
    await alice.core.invoke('hangup', { callId: aliceCallId });
    await bob.until(callWhere((c) => c.callId === bobCallId && c.state === 'ended'));
  }, 35_000);

  it('a known address answering with a new ZID raises "new identity" and drops Verified', async () => {
    const { alice, bob, aliceCallId, bobCallId } = await securedCallThroughProxy();
    await alice.core.invoke('setSasVerified', { callId: aliceCallId, verified: true });
    await bob.core.invoke('setSasVerified', { callId: bobCallId, verified: true });
    await alice.core.invoke('hangup', { callId: aliceCallId });
    await alice.until(callWhere((c) => c.callId === aliceCallId && c.state === 'ended'));

    // Same address (the proxy's), another phone behind it: a fresh data dir, so a fresh ZID.
    const impostor = await peers.start({ autoAnswer: true });
    proxy!.calleePort = impostor.sipPort;
    const from = alice.events.length;
    const second = await alice.core.invoke('call', { uri: proxy!.uriFor('bob') });
    const warning = await alice.until((e) => (e.type === 'security' && e.security.callId === second.callId ? e.security.warnings.find((w) => w.kind === 'new-identity') : undefined), 8000, from);
    expect(warning).toMatchObject({ kind: 'new-identity', zid: impostor.core.snapshot().zid, previousZid: bob.core.snapshot().zid });
    expect(warning.message).toMatch(/new security identity/);
    const secured = await alice.until(securityWhere((s) => s.callId === second.callId && s.state === 'secure'), 8000, from);
    expect(secured.verified).toBe(false);
    expect(alice.events.slice(from).some((e) => e.type === 'security' && e.security.callId === second.callId && e.security.verified)).toBe(false);
    await alice.core.invoke('hangup', { callId: second.callId });
  }, 30_000);
});

