// Two homes behind NAT routers, one registrar on the public side (root; network namespaces).
// Kamailio (nathelper) and the lab's DNS (NAPTR → SRV → A for lab.test) sit in the public
// namespace; Vouch CLIs register as alice@lab.test and bob@lab.test from behind their routers.
// Kamailio relays no media: a secure call with audio both ways proves the media went direct.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, ADDR, labSkipReason } from './lab';
import { startDns, startKamailio, LAB_DOMAIN, LAB_PASSWORD, LAB_SIP_RECORDS, type LabKamailio } from './services';
import { homeVouches, passwordFile, isSecure, receivedTone, streamStats, type Line, type VouchNs } from './vouch-ns';

const skip = labSkipReason();
/** The routers forget a UDP mapping after this much silence (Lab.create). */
const NAT_UDP_TIMEOUT_S = 4;
/** Keep-alive interval of the UAs: shorter than the NAT's timeout, as a phone's must be. */
const KEEPALIVE_S = 1;

describe.skipIf(skip)('behind NATs, registered to Kamailio', () => {
  let lab: Lab;
  let dir: string;
  let password: string;
  let kamailio: LabKamailio;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vouch-lab-nat-'));
    password = passwordFile(dir, LAB_PASSWORD);
    lab = await Lab.create({ conntrackUdpTimeoutS: NAT_UDP_TIMEOUT_S });
    await startDns(lab, 'pub', ADDR.publicDns, LAB_SIP_RECORDS);
    kamailio = await startKamailio(lab, 'pub', ADDR.kamailio);
  });
  const vouch = homeVouches(() => ({ lab, dir }));
  afterAll(async () => {
    await lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const account = (user: string, keepAliveS = KEEPALIVE_S): string[] => ['--account', `sip:${user}@${LAB_DOMAIN}`, '--server', LAB_DOMAIN, '--password-file', password, '--keepalive', String(keepAliveS)];
  const registered = (l: { event: string; state?: unknown }): boolean => l.event === 'registration' && l.state === 'registered';
  /** Alice, registered from behind ra. */
  async function alice(extra: string[] = []): Promise<VouchNs> {
    const v = vouch('ha', 'alice', ['listen', ...account('alice'), '--tone', '1000', ...extra]);
    await v.next(registered, 20_000);
    return v;
  }
  /** Bob, behind rb, calls alice@lab.test through the registrar. */
  const bobCalls = (extra: string[]): VouchNs => vouch('hb', 'bob', ['call', `sip:alice@${LAB_DOMAIN}`, ...account('bob'), ...extra]);

  it('cone NATs: a call by AOR through the proxy is secure, with audio both ways, media direct', async () => {
    const a = await alice(['--calls', '1']);
    const bob = bobCalls(['--tone', '700', '--duration', '3']);
    const [bs, as] = await Promise.all([bob.next(isSecure, 20_000), a.next(isSecure, 20_000)]);
    expect(bs.sas).toBe(as.sas);
    expect(await bob.exited).toBe(0);
    expect(await a.exited).toBe(0);
    expect(Math.abs(receivedTone(bob.recordDir) - 1000)).toBeLessThan(30);
    expect(Math.abs(receivedTone(a.recordDir) - 700)).toBeLessThan(30);
    for (const s of streamStats(bob, 'audio')) expect(s.protectFailures).toBe(0);
  }, 60_000);

  it('symmetric NATs without ICE: the call ends saying no media got through and why (never weaker protection)', async () => {
    lab.setNat('ra', 'symmetric');
    lab.setNat('rb', 'symmetric');
    const a = await alice(['--calls', '1']);
    const bob = bobCalls([]);
    // Signalling still works through the registrar; media has no path (ICE/TURN is not here yet).
    await bob.next((l) => l.event === 'state' && l.state === 'connected', 20_000);
    const ended = await Promise.all([a, bob].map((v) => v.next((l) => l.event === 'state' && l.state === 'ended', 20_000)));
    expect([a, bob].some((v) => v.lines.some(isSecure))).toBe(false);
    // Whichever side gave up first (its wait for the peer's Hello started first) says why; the
    // other sees it hang up.
    const first = ended.findIndex((l) => l.endReason === 'security-refused');
    expect(first, JSON.stringify(ended)).toBeGreaterThanOrEqual(0);
    expect(ended[1 - first].endReason).toMatch(/security-refused|remote-hangup/);
    const gaveUp = [a, bob][first];
    const warnings = JSON.stringify(gaveUp.lines.filter((l) => l.event === 'security').map((l) => l.warnings));
    expect(warnings).toMatch(/no media reached us from the other side.*NAT or firewall/);
    expect(warnings).not.toMatch(/Timer B|from the server/);
  }, 60_000);

  it('keeps the NAT binding alive across silence longer than the NAT timeout', async () => {
    // Carol, beside Alice, sends no keep-alives: the control that shows the mapping would die.
    const carol = vouch('ha', 'carol', ['listen', ...account('carol', 0), '--calls', '1']);
    const [a] = await Promise.all([alice(['--calls', '1']), carol.next(registered, 20_000)]);
    // Nothing but keep-alives for well past the router's UDP timeout.
    await new Promise((r) => setTimeout(r, (NAT_UDP_TIMEOUT_S + 3) * 1000));
    const bob = bobCalls(['--duration', '2']);
    const toCarol = vouch('hb', 'bob', ['call', `sip:carol@${LAB_DOMAIN}`, ...account('bob')]);
    const [bs, as] = await Promise.all([bob.next(isSecure, 20_000), a.next(isSecure, 20_000)]);
    expect(bs.sas).toBe(as.sas);
    expect(await bob.exited).toBe(0);
    // Kamailio's INVITE to Carol died at her router: her phone never rang.
    await toCarol.next((l) => l.event === 'state' && l.state === 'calling', 20_000);
    await new Promise((r) => setTimeout(r, 3000));
    expect(carol.lines.some((l) => l.event === 'state' && l.state === 'incoming')).toBe(false);
    expect(toCarol.lines.some((l) => l.event === 'state' && (l.state === 'ringing' || l.state === 'connected'))).toBe(false);
  }, 60_000);

  it('re-registers when the public address changes, and calls still reach it', async () => {
    const registeredFrom = (host: string): boolean => kamailio.process.output().includes(`vouch-lab: registered sip:alice@${LAB_DOMAIN} from ${host}:`);
    // Vouch's own registration line names the address the registrar saw (RegistrationInfo.publicAddress).
    const publicOn = (host: string) => (l: Line): boolean => registered(l) && typeof l.publicAddress === 'string' && l.publicAddress.startsWith(`${host}:`);
    const a = await alice();
    expect(registeredFrom(ADDR.raWan)).toBe(true);
    await a.next(publicOn(ADDR.raWan), 5000);
    // The router gets a new public address; the old mappings go with the old one.
    lab.moveWanAddress('ra', ADDR.raWan, ADDR.raWanMoved);
    try {
      const end = Date.now() + 15_000;
      while (!registeredFrom(ADDR.raWanMoved)) {
        if (Date.now() > end) throw new Error(`alice did not register again from ${ADDR.raWanMoved}:\n${kamailio.process.output().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await a.next(publicOn(ADDR.raWanMoved), 5000);
      const bob = bobCalls(['--duration', '2']);
      const [bs, as] = await Promise.all([bob.next(isSecure, 20_000), a.next(isSecure, 20_000)]);
      expect(bs.sas).toBe(as.sas);
      expect(await bob.exited).toBe(0);
    } finally {
      lab.moveWanAddress('ra', ADDR.raWanMoved, ADDR.raWan);
    }
  }, 60_000);
});
