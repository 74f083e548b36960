// One call's signalling between two user agents on UDP loopback (RFC 3261 §13-15): connect.ts
// and accept.ts (INVITE, 180/183, 200, ACK), reinvite.ts and modify.ts (re-INVITE, glare),
// close.ts (CANCEL, BYE, refusals), and the 2xx retransmission of core.ts on a manual clock.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { SipStatusError } from '../errors';
import { established as establishedWith, nextIncoming, offer, target, uaPool } from '../test-support';
import { ManualScheduler } from '../timers';
import type { SipBody, SipSession } from '.';

const { ua, closeAll } = uaPool();
const established = () => establishedWith(ua);

afterEach(closeAll);

describe('SipSession on UDP loopback', () => {
  it('calls, answers with 180 then 200, and hangs up with BYE', async () => {
    const alice = await ua('alice');
    const bob = await ua('bob');
    const incoming = nextIncoming(bob);
    const out = alice.invite(target(bob), offer('offer'));
    const progress = new Promise((r) => out.once('progress', r));
    const inc = await incoming;
    expect(inc.remoteBody?.body).toContain('s=offer');
    inc.progress(180);
    expect(await progress).toBe(180);
    inc.accept(offer('answer'));
    expect((await out.answered).body).toContain('s=answer');
    expect(out.state).toBe('established');
    out.bye();
    expect(await inc.ended).toMatchObject({ by: 'remote', reason: 'BYE' });
    expect(alice.activeSessions).toHaveLength(0);
    expect(bob.activeSessions).toHaveLength(0);
  });

  it('rejects a call, and a second call gets 486 while one is up (call waiting off)', async () => {
    const { alice, bob } = await established();
    const second = alice.invite(target(bob), offer('o2'));
    await expect(second.answered).rejects.toMatchObject({ status: 486 });
    const carol = await ua('carol');
    const incoming = nextIncoming(carol);
    const third = alice.invite(target(carol), offer('o3'));
    (await incoming).reject(603);
    await expect(third.answered).rejects.toEqual(new SipStatusError(603, 'Decline'));
  });

  it('cancels a ringing call: 487 to the INVITE (§9)', async () => {
    const alice = await ua('alice');
    const bob = await ua('bob');
    const incoming = nextIncoming(bob);
    const out = alice.invite(target(bob), offer('o'));
    const inc = await incoming;
    const ringing = new Promise((r) => out.once('progress', r));
    inc.progress(180);
    await ringing;
    out.bye();
    expect(await inc.ended).toMatchObject({ by: 'remote', status: 487 });
    expect(await out.ended).toMatchObject({ by: 'local', status: 487 });
  });

  it('re-INVITEs in both directions; the hook can refuse with 488 and the call stays up', async () => {
    const { out, inc } = await established();
    inc.onReinvite = (o) => ({ answer: { contentType: o.contentType, body: o.body.replace('s=', 's=ans-') } });
    expect((await out.reinvite(offer('video'))).body).toContain('s=ans-video');
    out.onReinvite = async () => ({ reject: 488 });
    await expect(inc.reinvite(offer('downgrade'))).rejects.toMatchObject({ status: 488 });
    expect(inc.state).toBe('established');
    out.onReinvite = (o) => ({ answer: o });
    expect((await inc.reinvite(offer('again'))).body).toContain('s=again');
  });

  it('resolves glare: both re-INVITE at once, both get 491, both retry and succeed (§14.1)', async () => {
    const { out, inc } = await established();
    out.onReinvite = (o) => ({ answer: o });
    inc.onReinvite = (o) => ({ answer: o });
    const [a, b] = await Promise.all([out.reinvite(offer('from-alice')), inc.reinvite(offer('from-bob'))]);
    expect(a.body).toContain('from-alice');
    expect(b.body).toContain('from-bob');
  });

  it('sends 183 Session Progress with an early-media body before answering', async () => {
    const alice = await ua('alice');
    const bob = await ua('bob');
    const incoming = nextIncoming(bob);
    const out = alice.invite(target(bob), offer('o'));
    const progress = new Promise<[number, SipBody | undefined]>((r) => out.once('progress', (status: number, body?: SipBody) => r([status, body])));
    const inc = await incoming;
    inc.progress(183, offer('early'));
    const [status, body] = await progress;
    expect(status).toBe(183);
    expect(body?.body).toContain('s=early');
    expect(out.state).toBe('early');
    inc.accept(offer('answer'));
    await out.answered;
  });
});

describe('2xx retransmission on a manual clock (§13.3.1.4)', () => {
  it('retransmits the 200 at T1, 2T1, 4T1... capped at T2, then sends BYE after 64*T1 without ACK', async () => {
    const clock = new ManualScheduler();
    const sent: [number, string][] = [];
    const bob = await ua('bob', {
      scheduler: clock,
      timers: { t1: 500, t2: 4000, t4: 5000, timerD: 32000 },
      trace: (dir, msg) => {
        if (dir === 'out') sent.push([clock.now, msg.type === 'response' ? String(msg.status) : msg.method]);
      },
    });
    const incoming = nextIncoming(bob);
    bob.on('incoming', (s: SipSession) => s.accept(offer('answer')));
    const port = bob.localAddress('UDP')!.port;
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    sock.send(
      `INVITE sip:bob@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${sock.address().port};branch=z9hG4bKnoack;rport\r\nFrom: <sip:x@127.0.0.1>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: noack\r\nCSeq: 1 INVITE\r\nContact: <sip:x@127.0.0.1:${sock.address().port}>\r\nContent-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n`,
      port,
      '127.0.0.1',
    );
    const session = await incoming;
    clock.advance(40000);
    sock.close();
    const oks = sent.filter(([, what]) => what === '200').map(([t]) => t);
    // Interval doubles from T1 and stays at T2 = 4 s: 0, 0.5, 1.5, 3.5, 7.5, 11.5, ... 31.5 s.
    expect(oks).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    const bye = sent.find(([, what]) => what === 'BYE');
    expect(bye?.[0]).toBe(32000);
    expect(session.state).toBe('terminated');
  });
});
