// Vouch's SIP UA against sipp (Debian sip-tester): the built-in uac/uas scenarios and the
// scenario files in ./sipp (re-INVITE adding video, CANCEL, 481, 2xx retransmission, glare).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SipUa } from '../../src/main/sip';
import type { SipBody, SipSession } from '../../src/main/sip';
import { findPeer } from './peers';
import { SCENARIOS, runSipp } from './sipp/sipp';
import type { SippProcess } from './sipp/sipp';
import { peerPort } from './ports';

const sipp = findPeer('sipp', 'sip-tester');
const SDP = (video: boolean): SipBody => ({
  contentType: 'application/sdp',
  body: `v=0\r\no=vouch 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n${video ? 'm=video 40002 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n' : ''}`,
});

describe.skipIf(!sipp)('SIP interop with sipp', () => {
  let ua: SipUa;
  const children: SippProcess[] = [];
  const run = (args: string[]): SippProcess => {
    const p = runSipp(sipp!, args, 10000);
    children.push(p);
    return p;
  };
  const uaTarget = (): string => `127.0.0.1:${ua.localAddress('UDP')!.port}`;

  beforeAll(async () => {
    ua = await SipUa.start({ user: 'vouch', host: '127.0.0.1', timers: { t1: 100, t2: 400, t4: 500, timerD: 500 }, glare: { owner: [100, 200], other: [0, 100] } });
  });
  afterEach(() => {
    // A failed scenario must not leave a call up that makes the next one busy (486).
    for (const s of ua.activeSessions) s.bye();
  });
  afterAll(async () => {
    for (const c of children) c.kill();
    await ua.close();
  });

  const autoAnswer = (handler?: (s: SipSession) => void): Promise<SipSession> =>
    new Promise((resolve) =>
      ua.once('incoming', (s: SipSession) => {
        if (handler) handler(s);
        else s.accept(SDP(false));
        resolve(s);
      }),
    );

  it("answers sipp's built-in uac call and its BYE", async () => {
    const answered = autoAnswer();
    const r = await run(['-sn', 'uac', '-m', '1', '-p', String(await peerPort()), uaTarget()]).done;
    expect(r.code, r.errors + r.stdout.slice(-2000)).toBe(0);
    expect(await (await answered).ended).toMatchObject({ by: 'remote', reason: 'BYE' });
  });

  it("calls sipp's built-in uas, gets its answer and hangs up", async () => {
    const port = await peerPort();
    const proc = run(['-sn', 'uas', '-m', '1', '-p', String(port)]);
    const s = ua.invite(`sip:service@127.0.0.1:${port}`, SDP(false));
    expect((await s.answered).body).toContain('m=audio');
    s.bye();
    const r = await proc.done;
    expect(r.code, r.errors).toBe(0);
  });

  it('answers a re-INVITE adding video with a video m-line', async () => {
    const answered = autoAnswer((s) => {
      s.onReinvite = (offer) => ({ answer: SDP(offer.body.includes('m=video')) });
      s.accept(SDP(false));
    });
    const r = await run(['-sf', `${SCENARIOS}uac-reinvite-video.xml`, '-m', '1', '-p', String(await peerPort()), uaTarget()]).done;
    expect(r.code, r.errors).toBe(0);
    const s = await answered;
    expect(await s.ended).toMatchObject({ by: 'remote' });
  });

  it('ends a ringing call on CANCEL with 487', async () => {
    const rang = autoAnswer((s) => s.progress(180));
    const r = await run(['-sf', `${SCENARIOS}uac-cancel.xml`, '-m', '1', '-p', String(await peerPort()), uaTarget()]).done;
    expect(r.code, r.errors).toBe(0);
    expect(await (await rang).ended).toMatchObject({ by: 'remote', status: 487 });
  });

  it('answers 481 for unknown dialogs and transactions, 200 for OPTIONS', async () => {
    const r = await run(['-sf', `${SCENARIOS}uac-481.xml`, '-m', '1', '-p', String(await peerPort()), uaTarget()]).done;
    expect(r.code, r.errors).toBe(0);
  });

  it('retransmits its 200 OK until the ACK comes (§13.3.1.4)', async () => {
    const answered = autoAnswer();
    const r = await run(['-sf', `${SCENARIOS}uac-2xx-retransmit.xml`, '-m', '1', '-p', String(await peerPort()), uaTarget()]).done;
    expect(r.code, r.errors).toBe(0);
    // 200s at 0, 100 and 300 ms (T1 = 100 ms) before the ACK at 500 ms; none after it.
    expect(r.messages.match(/^SIP\/2\.0 200 OK[\s\S]*?CSeq: 1 INVITE/gm)?.length).toBe(3);
    expect(await (await answered).ended).toMatchObject({ by: 'remote' });
  });

  it('retries a re-INVITE refused with 491 (glare, §14.1)', async () => {
    const port = await peerPort();
    const proc = run(['-sf', `${SCENARIOS}uas-glare-491.xml`, '-m', '1', '-p', String(port)]);
    const s = ua.invite(`sip:service@127.0.0.1:${port}`, SDP(false));
    await s.answered;
    expect((await s.reinvite(SDP(true))).body).toContain('m=video');
    s.bye();
    const r = await proc.done;
    expect(r.code, r.errors).toBe(0);
  });
});
