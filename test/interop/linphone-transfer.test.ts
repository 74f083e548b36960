// Issue 20: linphonec's `transfer` against Vouch. linphonec talks to Vouch A and transfers it
// to Vouch C: blind (`transfer 1 sip:C`, a REFER A takes: A calls C, reports NOTIFY 200) and
// attended (`transfer 1 --to-call 2`: Refer-To with Replaces naming linphonec's dialog with C,
// which C lets the call from A take over). And the other way: Vouch transfers linphonec to C
// (linphonec takes our REFER and NOTIFYs). Each new pair ends up secure with equal SAS.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findPeer } from './peers';
import type { Linphone } from './zrtp/linphone';
import { VouchPeers, type VouchPeer } from './vouch-peer';
import { callWhere, securityWhere } from './vouch-events';
import { authToken, callConnected } from './linphone-call/helpers';
import { endSessionCalls, hangUpAll, startLinphoneSession } from './linphone-call/session';

const linphonec = findPeer('linphonec', 'linphone-cli');

describe.skipIf(!linphonec)('linphonec transfers a call with Vouch', () => {
  const peers = new VouchPeers();
  let linphone: Linphone;
  let linphoneUri = '';
  let a: VouchPeer;
  let c: VouchPeer;
  let linphoneCall = 0;

  beforeAll(async () => {
    ({ linphone, linphoneUri, vouch: a } = await startLinphoneSession(peers, linphonec as string, {}));
    c = await peers.start({ autoAnswer: true });
  });
  afterEach(async () => {
    await hangUpAll(c);
    linphoneCall = await endSessionCalls({ linphone, linphoneUri, vouch: a });
  });
  afterAll(async () => {
    await peers.closeAll();
    await linphone?.stop();
  });

  /** A and C both secure on a call between them, with the same SAS. */
  async function aAndCSecure(aFrom: number, cFrom: number): Promise<string> {
    const aNew = await a.until(callWhere((x) => x.remoteUri.includes(`:${c.sipPort}`) && x.state === 'connected'), 15_000, aFrom);
    // A's From names no port (its address of record), so C's side is the incoming call from A's host.
    const cNew = await c.until(callWhere((x) => x.direction === 'incoming' && x.remoteUri.startsWith('sip:vouch@') && x.state === 'connected'), 15_000, cFrom);
    const aSas = await a.until(securityWhere((s) => s.callId === aNew.callId && s.state === 'secure'), 15_000, aFrom);
    const cSas = await c.until(securityWhere((s) => s.callId === cNew.callId && s.state === 'secure'), 15_000, cFrom);
    expect(aSas.sas).toBe(cSas.sas);
    return aSas.sas;
  }

  it('blind: `transfer 1 sip:C` makes A call C; A and C secure, linphonec drops out', async () => {
    const n = ++linphoneCall;
    const aFrom = a.events.length;
    const cFrom = c.events.length;
    linphone.command(`call sip:vouch@127.0.0.1:${a.sipPort}`);
    const first = await a.until(securityWhere((s) => s.state === 'secure'), 15_000, aFrom);
    await linphone.waitFor(authToken(n), 10_000);
    linphone.command(`transfer ${n} sip:carol@127.0.0.1:${c.sipPort}`);
    await aAndCSecure(aFrom, cFrom);
    // linphonec read the NOTIFYs' sipfrag: 200 means transferred.
    await linphone.waitFor(new RegExp(`of call ${n} has been transfered`), 10_000);
    const old = await a.until(callWhere((x) => x.callId === first.callId && x.state === 'ended'), 15_000, aFrom);
    expect(['transferred', 'remote-hangup']).toContain(old.endReason);
  }, 60_000);

  it('Vouch transfers linphonec (blind): linphonec takes our REFER, calls C, and its NOTIFY 200 ends our call', async () => {
    const n = ++linphoneCall;
    const aFrom = a.events.length;
    const cFrom = c.events.length;
    const { callId } = await a.core.invoke('call', { uri: linphoneUri });
    await a.until(securityWhere((s) => s.callId === callId && s.state === 'secure'), 15_000, aFrom);
    await linphone.waitFor(authToken(n), 10_000);
    await a.core.invoke('transfer', { callId, to: `carol@127.0.0.1:${c.sipPort}` });
    const ended = await a.until(callWhere((x) => x.callId === callId && x.state === 'ended'), 20_000, aFrom);
    expect(ended.endReason).toBe('transferred');
    // C's new call is linphonec's, secured by its own ZRTP exchange (bzrtp prints the SAS).
    const fromLinphone = await c.until(securityWhere((s) => s.state === 'secure'), 15_000, cFrom);
    const theirs = (await linphone.waitFor(authToken(n + 1), 10_000))[1];
    linphoneCall = n + 1;
    expect(fromLinphone.sas).toBe(theirs);
  }, 60_000);

  // linphonec 5.x builds the attended Refer-To from call 2's address without its port
  // (`<sip:carol@127.0.0.1?Replaces=...>`), so the INVITE that follows goes to port 5060, not to
  // C: what is checked is Vouch's part, the REFER with Replaces taken and the call placed with it.
  it('attended: `transfer 1 --to-call 2` (Replaces) is taken: A accepts it and calls the Refer-To target', async () => {
    const aFrom = a.events.length;
    const cFrom = c.events.length;
    const n1 = ++linphoneCall;
    linphone.command(`call sip:vouch@127.0.0.1:${a.sipPort}`);
    const toA = await a.until(securityWhere((s) => s.state === 'secure'), 15_000, aFrom);
    await linphone.waitFor(callConnected(n1), 10_000);
    // linphonec places a second call only with the first on hold.
    linphone.command(`pause ${n1}`);
    await a.until(callWhere((x) => x.callId === toA.callId && x.remoteHeld), 10_000, aFrom);
    const n2 = ++linphoneCall;
    linphone.command(`call sip:carol@127.0.0.1:${c.sipPort}`);
    await c.until(securityWhere((s) => s.state === 'secure'), 15_000, cFrom);
    await linphone.waitFor(callConnected(n2), 10_000);
    const logFrom = linphone.log().length;
    linphone.command(`transfer ${n1} --to-call ${n2}`);
    const placed = await a.until(callWhere((x) => x.direction === 'outgoing' && x.remoteUri.startsWith('sip:carol@127.0.0.1')), 15_000, aFrom);
    expect(placed.callId).not.toBe(toA.callId);
    const log = linphone.log().slice(logFrom);
    expect(log).toMatch(/Refer-To: <sip:carol@127\.0\.0\.1\?Replaces=/);
    expect(log).toMatch(/SIP\/2\.0 202 Accepted[\s\S]*CSeq: \d+ REFER/);
    expect(log).toMatch(/NOTIFY sip:[\s\S]*Event: refer[\s\S]*SIP\/2\.0 100 Trying/);
  }, 60_000);
});
