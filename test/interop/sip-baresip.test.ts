// Vouch's SIP UA against baresip (Debian baresip-core, no SRTP): calls in both directions reach
// "established" and end cleanly.
import { afterEach, describe, expect, it } from 'vitest';
import { SipUa } from '../../src/main/sip';
import type { SipSession } from '../../src/main/sip';
import { Baresip, baresipSipPort } from './baresip/baresip';
import { findPeer } from './peers';
import { literalAnswer, literalOffer } from './sipp/sdp-literal';
import { peerPorts } from './ports';

const baresip = findPeer('baresip', 'baresip-core');

describe.skipIf(!baresip)('SIP interop with baresip', () => {
  let peer: Baresip | undefined;
  let ua: SipUa | undefined;
  afterEach(async () => {
    await ua?.close();
    await peer?.stop();
    ua = peer = undefined;
  });

  const start = async (autoAnswer: boolean): Promise<[Baresip, SipUa]> => {
    peer = await Baresip.start({ bin: baresip!, sipPort: await baresipSipPort(), rtpPort: await peerPorts(10, 2), autoAnswer });
    ua = await SipUa.start({ user: 'vouch', host: '127.0.0.1' });
    return [peer, ua];
  };

  it('Vouch calls baresip: established, then BYE closes it', async () => {
    const [peer, ua] = await start(true);
    const s = ua.invite(peer.uri, literalOffer());
    expect((await s.answered).body).toMatch(/m=audio [1-9]\d* RTP\/AVP 0/);
    await peer.waitFor(/Call established/);
    const at = peer.output.length;
    s.bye();
    await peer.waitFor(/session closed/, 5000, at);
  }, 20000);

  it('baresip calls Vouch: established, then its BYE ends the session', async () => {
    const [peer, ua] = await start(false);
    const incoming = new Promise<SipSession>((r) => ua.once('incoming', r));
    peer.send(`/dial sip:vouch@127.0.0.1:${ua.localAddress('UDP')!.port}`);
    const s = await incoming;
    expect(s.remoteBody?.body).toContain('m=audio');
    s.accept(literalAnswer(s.remoteBody!));
    await peer.waitFor(/Call established/);
    peer.send('/hangup');
    expect(await s.ended).toMatchObject({ by: 'remote', reason: 'BYE' });
  }, 20000);
});
