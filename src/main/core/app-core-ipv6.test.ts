// An IPv6-only call between two Vouch cores on ::1: bracketed hosts in the URI, Via and Contact,
// `IN IP6` in the SDP, ZRTP and SRTP over IPv6 sockets, audio both ways.
import { describe, it, expect, afterEach } from 'vitest';
import type { SipMessage } from '../sip';
import { callManagerOf } from './test-support';
import { VouchPeers } from '../../../test/interop/vouch-peer';
import { securityWhere } from '../../../test/interop/vouch-events';

const peers = new VouchPeers();
afterEach(() => peers.closeAll());

describe('Vouch calls Vouch over IPv6 (AppCore, ::1)', () => {
  it('secures the call, same SAS, audio both ways; SIP and SDP carry only IPv6 addresses', async () => {
    const alice = await peers.start({ host: '::1' });
    const bob = await peers.start({ host: '::1', autoAnswer: true });
    const seen: SipMessage[] = [];
    callManagerOf(bob.core).ua!.options.trace = (direction, m) => {
      if (direction === 'in') seen.push(m);
    };
    expect(alice.core.snapshot().listening?.addresses).toEqual([`sip:vouch@[::1]:${alice.sipPort}`]);
    const { callId } = await alice.core.invoke('call', { uri: `sip:bob@[::1]:${bob.sipPort}` });
    const a = await alice.until(securityWhere((s) => s.state === 'secure'));
    const b = await bob.until(securityWhere((s) => s.state === 'secure'));
    expect(a.sas).toBe(b.sas);
    const flowing = (p: typeof alice) => p.until((e) => (e.type === 'stats' && e.stats.streams.some((s) => s.stream === 'audio' && s.packetsReceived > 10) ? e : undefined), 8000);
    await Promise.all([flowing(alice), flowing(bob)]);

    const invite = seen.find((m) => m.type === 'request' && m.method === 'INVITE');
    expect(invite?.headers.get('via')).toMatch(/^SIP\/2\.0\/UDP \[::1\]:\d+;branch=z9hG4bK[^;]*;rport/);
    expect(invite?.headers.get('contact')).toMatch(/^<sip:vouch@\[::1\]:\d+>$/);
    expect(invite?.body).toMatch(/^o=\S+ \d+ \d+ IN IP6 ::1$/m);
    expect(invite?.body).toMatch(/^c=IN IP6 ::1$/m);
    expect(invite?.body).not.toMatch(/IP4/);
    await alice.core.invoke('hangup', { callId });
  }, 30_000);
});
