// SIP over UDP with 20 % loss (issue 9): the proxy between two Vouch AppCores drops a fifth of the
// datagrams it receives (seeded), and always the first INVITE and the first 2xx to it, so the
// retransmission paths run every time: Timer A on the INVITE (RFC 3261 §17.1.1.2) and the UAS's
// 2xx retransmission until the ACK arrives (§13.3.1.4). The call still sets up, secures and ends.
import { describe, it, expect, afterEach } from 'vitest';
import type { SipMessage } from '../../src/main/sip';
import { HostileProxy } from './hostile-proxy';
import { seededRandom } from './udp-relay';
import { VouchPeers } from './vouch-peer';
import { callWhere, securityWhere } from './vouch-events';

const peers = new VouchPeers();
let proxy: HostileProxy | undefined;
afterEach(async () => {
  await peers.closeAll();
  await proxy?.close();
  proxy = undefined;
});

const isInitialInvite = (m: SipMessage): boolean => m.type === 'request' && m.method === 'INVITE' && !/;\s*tag=/i.test(m.headers.get('to') ?? '');
const isInviteOk = (m: SipMessage): boolean => m.type === 'response' && m.status === 200 && /\bINVITE\b/.test(m.headers.get('cseq') ?? '');

describe('SIP over UDP with 20 % loss', () => {
  it('retransmits the INVITE and its 2xx and sets the call up', async () => {
    const alice = await peers.start({ autoAnswer: false });
    const bob = await peers.start({ autoAnswer: true });
    const random = seededRandom(0x20);
    const arrived = { invites: 0, oks: 0 };
    let dropped = 0;
    proxy = await HostileProxy.start({
      calleePort: bob.sipPort,
      dropSip: (m) => {
        let first = false;
        if (isInitialInvite(m)) first = ++arrived.invites === 1;
        if (isInviteOk(m)) first = ++arrived.oks === 1;
        const drop = first || random() < 0.2;
        if (drop) dropped++;
        return drop;
      },
    });
    const t0 = performance.now();
    const { callId } = await alice.core.invoke('call', { uri: proxy.uriFor('bob') });
    await alice.until(callWhere((c) => c.callId === callId && c.state === 'connected'), 15_000);
    const setupMs = performance.now() - t0;
    const a = await alice.until(securityWhere((s) => s.state === 'secure'), 10_000);
    const b = await bob.until(securityWhere((s) => s.state === 'secure'), 10_000);
    expect(a.sas).toBe(b.sas);
    // The first INVITE and the first 2xx were lost: setting up needed their retransmissions.
    expect(arrived.invites).toBeGreaterThanOrEqual(2);
    expect(arrived.oks).toBeGreaterThanOrEqual(2);
    expect(dropped).toBeGreaterThanOrEqual(2);
    // Timer A's first retransmission comes after T1 (500 ms).
    expect(setupMs).toBeGreaterThan(450);

    await alice.core.invoke('hangup', { callId });
    await bob.until(callWhere((c) => c.callId === b.callId && c.state === 'ended'), 10_000);
  }, 30_000);
});
