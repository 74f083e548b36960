// An IPv6-only pair and RFC 3263 failover (root; network namespaces). The pair has no IPv4 at all
// but loopback: Vouch CLIs with default addresses call each other by bracketed address and by a
// name with only an AAAA record. On the flat LAN the domain's SRV lists a dead server first (its
// TCP port refuses connections) and the call reaches the second.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, ADDR, labSkipReason } from './lab';
import { startDns, LAB_DOMAIN } from './services';
import { startVouch, isSecure, isListening, receivedTone, type VouchNs } from './vouch-ns';

const skip = labSkipReason();

describe.skipIf(skip)('IPv6-only pair and DNS failover', () => {
  let lab: Lab;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vouch-lab-v6-'));
    lab = await Lab.create();
    await startDns(lab, 'v6b', ADDR.v6Dns, { hosts: { [`bob6.${LAB_DOMAIN}`]: [ADDR.v6b] } });
    // RFC 3263: NAPTR → SRV over TCP; the first target (the LAN's gateway) has nothing on 5060.
    await startDns(lab, 'lan', ADDR.lanDns, {
      hosts: { [`dead.${LAB_DOMAIN}`]: [ADDR.lanGateway], [`bob.${LAB_DOMAIN}`]: [ADDR.l2] },
      naptr: [{ domain: LAB_DOMAIN, order: 10, preference: 10, service: 'SIP+D2T', replacement: `_sip._tcp.${LAB_DOMAIN}` }],
      srv: [
        { name: `_sip._tcp.${LAB_DOMAIN}`, target: `dead.${LAB_DOMAIN}`, port: 5060, priority: 10, weight: 0 },
        { name: `_sip._tcp.${LAB_DOMAIN}`, target: `bob.${LAB_DOMAIN}`, port: 5060, priority: 20, weight: 0 },
      ],
    });
  });
  afterAll(async () => {
    await lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function secureCall(caller: VouchNs, callee: VouchNs): Promise<void> {
    const c = await caller.next(isSecure, 20_000);
    // The listener's secure line of this call (it may have had others before).
    const d = await callee.next((l) => isSecure(l) && l.sas === c.sas, 10_000);
    expect(d.sas).toBe(c.sas);
    expect(await caller.exited).toBe(0);
  }

  it('IPv6 only: calls by [address] and by an AAAA-only name, secure, audio both ways', async () => {
    const bob = startVouch(lab, 'v6b', 'bob6', dir, ['listen', '--tone', '700', '--calls', '2']);
    const listening = await bob.next(isListening, 20_000);
    expect(JSON.stringify(listening)).toContain(ADDR.v6b);
    const byAddress = startVouch(lab, 'v6a', 'alice6-ip', dir, ['call', `sip:bob@[${ADDR.v6b}]`, '--tone', '1000', '--duration', '2']);
    await secureCall(byAddress, bob);
    expect(Math.abs(receivedTone(byAddress.recordDir) - 700)).toBeLessThan(30);
    const byName = startVouch(lab, 'v6a', 'alice6-dns', dir, ['call', `sip:bob@bob6.${LAB_DOMAIN}`, '--tone', '1000', '--duration', '2']);
    await secureCall(byName, bob);
    expect(await bob.exited).toBe(0);
    expect(Math.abs(receivedTone(bob.recordDir) - 1000)).toBeLessThan(30);
  }, 60_000);

  it('DNS failover: the first SRV target is dead, the call goes to the second', async () => {
    const bob = startVouch(lab, 'l2', 'bob-srv', dir, ['listen', '--calls', '1']);
    await bob.next(isListening, 20_000);
    const alice = startVouch(lab, 'l1', 'alice-srv', dir, ['call', `sip:bob@${LAB_DOMAIN}`, '--duration', '1']);
    await secureCall(alice, bob);
  }, 60_000);
});
