// Vouch's SIP UA against sipp (Debian sip-tester) for RFC 3262 and RFC 4028: sipp's INVITE
// requiring 100rel gets a reliable 180 it PRACKs, and the 90 s session timer it asks for comes
// back in the 200 and in the 200 to its UPDATE refresh; sipp's reliable 183 to Vouch's INVITE
// gets Vouch's PRACK. Only the negotiated headers are checked here: timing is unit-tested
// (src/main/sip/session/timer.test.ts) on a manual clock.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SipUa } from '../../src/main/sip';
import type { SipBody, SipSession } from '../../src/main/sip';
import { findPeer } from './peers';
import { SCENARIOS, runSipp } from './sipp/sipp';
import type { SippProcess } from './sipp/sipp';
import { peerPort } from './ports';

const sipp = findPeer('sipp', 'sip-tester');
const SDP: SipBody = {
  contentType: 'application/sdp',
  body: 'v=0\r\no=vouch 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n',
};

describe.skipIf(!sipp)('100rel, UPDATE and session timers with sipp', () => {
  let ua: SipUa;
  const children: SippProcess[] = [];
  const run = (args: string[]): SippProcess => {
    const p = runSipp(sipp!, args, 10000);
    children.push(p);
    return p;
  };

  beforeAll(async () => {
    ua = await SipUa.start({ user: 'vouch', host: '127.0.0.1', timers: { t1: 100, t2: 400, t4: 500, timerD: 500 } });
  });
  afterEach(() => {
    for (const s of ua.activeSessions) s.bye();
  });
  afterAll(async () => {
    for (const c of children) c.kill();
    await ua.close();
  });

  it('sends its 180 reliably to an INVITE requiring 100rel, answers the PRACK, then the timer and its UPDATE refresh', async () => {
    const pracked = new Promise<SipSession>((resolve) =>
      ua.once('incoming', (s: SipSession) => {
        s.once('prack', () => {
          s.accept(SDP);
          resolve(s);
        });
        s.progress(180);
      }),
    );
    const r = await run(['-sf', `${SCENARIOS}uac-100rel-timer.xml`, '-m', '1', '-p', String(await peerPort()), `127.0.0.1:${ua.localAddress('UDP')!.port}`]).done;
    expect(r.code, r.errors + r.stdout.slice(-1500)).toBe(0);
    expect(r.messages).toMatch(/^SIP\/2\.0 180 Ringing[\s\S]*?RSeq: \d+/m);
    expect(await (await pracked).ended).toMatchObject({ by: 'remote', reason: 'BYE' });
  });

  it("PRACKs sipp's reliable 183 and takes the 90 s session timer of its 200", async () => {
    const port = await peerPort();
    const proc = run(['-sf', `${SCENARIOS}uas-reliable-183.xml`, '-m', '1', '-p', String(port)]);
    const s = ua.invite(`sip:service@127.0.0.1:${port}`, SDP);
    const progress = new Promise<number>((resolve) => s.once('progress', resolve));
    await s.answered;
    expect(await progress).toBe(183);
    s.bye();
    const r = await proc.done;
    expect(r.code, r.errors + r.stdout.slice(-1500)).toBe(0);
    expect(r.messages).toMatch(/^PRACK sip:[\s\S]*?RAck: 7 1 INVITE/m);
  });
});
