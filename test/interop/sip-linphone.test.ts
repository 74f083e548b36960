// Vouch's SIP UA against linphonec (Debian linphone-cli): calls in both directions reach
// "connected" and end cleanly, and Linphone's "camera on" re-INVITE adding video is answered.
// Media encryption is off: these tests are about signalling.
import { afterEach, describe, expect, it } from 'vitest';
import { SipUa } from '../../src/main/sip';
import type { SipBody, SipSession } from '../../src/main/sip';
import { Linphonec } from './linphone/linphonec';
import { findPeer } from './peers';
import { literalAnswer, literalOffer } from './sipp/sdp-literal';
import { peerPort, peerPorts } from './ports';

const linphonec = findPeer('linphonec', 'linphone-cli');

describe.skipIf(!linphonec)('SIP interop with linphonec', () => {
  let lp: Linphonec | undefined;
  let ua: SipUa | undefined;
  afterEach(async () => {
    await ua?.close();
    await lp?.stop();
    ua = lp = undefined;
  });

  const start = async (o: { autoAnswer?: boolean; video?: boolean } = {}): Promise<[Linphonec, SipUa]> => {
    lp = await Linphonec.start({ bin: linphonec!, sipPort: await peerPort(), rtpPort: await peerPorts(4, 2), mediaEncryption: 'none', ...o });
    ua = await SipUa.start({ user: 'vouch', host: '127.0.0.1' });
    return [lp, ua];
  };

  it('Vouch calls linphonec: connected, then BYE ends it on both sides', async () => {
    const [lp, ua] = await start({ autoAnswer: true });
    const s = ua.invite(lp.uri, literalOffer());
    expect((await s.answered).body).toMatch(/m=audio [1-9]\d* RTP\/AVP 0/);
    await lp.waitFor(/Call 1 with .* connected/);
    s.bye();
    await lp.waitFor(/Call 1 with .* ended/);
  }, 20000);

  it('linphonec calls Vouch: connected, then its BYE ends the session', async () => {
    const [lp, ua] = await start();
    const incoming = new Promise<SipSession>((r) => ua.once('incoming', r));
    lp.send(`call sip:vouch@127.0.0.1:${ua.localAddress('UDP')!.port}`);
    const s = await incoming;
    expect(s.remoteBody?.body).toContain('m=audio');
    s.accept(literalAnswer(s.remoteBody!));
    await lp.waitFor(/Call 1 with .* connected/);
    lp.send('terminate');
    expect(await s.ended).toMatchObject({ by: 'remote', reason: 'BYE' });
  }, 20000);

  it('answers linphonec\'s "camera on" re-INVITE that adds video', async () => {
    const [lp, ua] = await start({ autoAnswer: true, video: true });
    const s = ua.invite(lp.uri, literalOffer());
    await s.answered;
    await lp.waitFor(/Call 1 with .* connected/);
    const reinvited = new Promise<[SipBody, SipBody]>((r) => s.once('reinvited', (o: SipBody, a: SipBody) => r([o, a])));
    s.onReinvite = (offer) => ({ answer: literalAnswer(offer) });
    lp.send('camera on');
    const [offer, answer] = await reinvited;
    expect(offer.body).toMatch(/m=video [1-9]/);
    expect(answer.body).toMatch(/m=video [1-9]\d* RTP\/AVP \d+/);
    expect(s.state).toBe('established');
    s.bye();
    await lp.waitFor(/Call 1 with .* ended/);
  }, 20000);
});
