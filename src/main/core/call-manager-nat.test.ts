// The SDP of a call through the registrar from behind a NAT carries the public address the
// registrar saw (RFC 3581 received), so no server has to rewrite it; any other peer gets the
// local address. A registrar on 127.0.0.1 reports received=203.0.113.77 (a documentation
// address nothing is ever sent to: the INVITE it records is answered 486, so no media flows).
import { afterEach, describe, expect, it } from 'vitest';
import { NAT_PORT, callManagerOf, natRegistrar, registeredCore } from './test-support';
import type { Cleanup } from './test-support';

const PUBLIC = '203.0.113.77';
const cleanup: Cleanup = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('media address behind a NAT', () => {
  it('a call through the registrar offers the public address with the local media port; other peers get the local address', async () => {
    const reg = await natRegistrar(cleanup, PUBLIC);
    const { core, seen } = await registeredCore(cleanup, reg, 'vouch-nat-sdp-');
    await expect.poll(() => seen.find((r) => r.state === 'registered')?.publicAddress, { timeout: 5000 }).toBe(`${PUBLIC}:${NAT_PORT}`);

    await core.invoke('call', { uri: 'sip:bob@vouch.test' });
    await expect.poll(() => reg.invites.length, { timeout: 5000 }).toBeGreaterThan(0);
    const sdp = reg.invites[0].body;
    expect(sdp).toMatch(new RegExp(`^o=.* IN IP4 ${PUBLIC.replaceAll('.', '\\.')}\\r$`, 'm'));
    expect(sdp).toMatch(new RegExp(`^c=IN IP4 ${PUBLIC.replaceAll('.', '\\.')}\\r$`, 'm'));
    // The local address appears only as ICE's host candidate (RFC 8445 §5.1.1.1), never on c=/o=.
    const local = sdp.split('\r\n').filter((l) => l.includes('127.0.0.1'));
    expect(local.every((l) => /^a=candidate:\S+ 1 UDP \d+ 127\.0\.0\.1 \d+ typ host$/.test(l)), local.join('\n')).toBe(true);
    // The media port is the one bound here, not the SIP socket's NAT mapping.
    const mediaPort = Number(/^m=audio (\d+) /m.exec(sdp)?.[1]);
    expect(mediaPort).toBeGreaterThan(0);
    expect(mediaPort).not.toBe(NAT_PORT);

    // The registrar's host gets the public address; a peer reached directly the local one.
    expect(callManagerOf(core).localMedia('127.0.0.1').advertise).toBe(PUBLIC);
    expect(callManagerOf(core).localMedia('127.0.0.2')).toEqual({ bind: '127.0.0.1', advertise: '127.0.0.1', local: '127.0.0.1' });
  });
});
