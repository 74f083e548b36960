import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { SipStatusError } from './errors';
import { ManualScheduler } from './timers';
import { parseMessage } from './parser';
import type { SipBody, SipSession } from './session';
import { SipUa } from './ua';
import type { SipUaOptions } from './ua';

const FAST: SipUaOptions['timers'] = { t1: 20, t2: 160, t4: 200, timerD: 200 };
const offer = (tag: string): SipBody => ({ contentType: 'application/sdp', body: `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=${tag}\r\n` });
const uas: SipUa[] = [];

async function ua(user: string, extra: Partial<SipUaOptions> = {}): Promise<SipUa> {
  const u = await SipUa.start({ user, host: '127.0.0.1', timers: FAST, glare: { owner: [40, 60], other: [0, 20] }, ...extra });
  uas.push(u);
  return u;
}
const target = (u: SipUa, user = 'bob'): string => `sip:${user}@127.0.0.1:${u.localAddress('UDP')!.port}`;
const nextIncoming = (u: SipUa): Promise<SipSession> => new Promise((r) => u.once('incoming', r));

afterEach(async () => {
  await Promise.all(uas.splice(0).map((u) => u.close()));
});

async function established(): Promise<{ alice: SipUa; bob: SipUa; out: SipSession; inc: SipSession }> {
  const alice = await ua('alice');
  const bob = await ua('bob');
  const incoming = nextIncoming(bob);
  const out = alice.invite(target(bob), offer('offer'));
  const inc = await incoming;
  inc.accept(offer('answer'));
  await out.answered;
  return { alice, bob, out, inc };
}

describe('SipUa on UDP loopback', () => {
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

  it('answers OPTIONS, 481 for an unknown dialog, 400 for a burst of malformed requests and still answers good ones', async () => {
    const bob = await ua('bob');
    const port = bob.localAddress('UDP')!.port;
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const replies: string[] = [];
    sock.on('message', (m) => {
      const r = parseMessage(m);
      if (r.ok && r.message.type === 'response') replies.push(`${r.message.status} ${r.message.headers.get('call-id')}`);
    });
    const req = (method: string, callId: string, extra = '', cseqMethod = method): string =>
      `${method} sip:bob@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${sock.address().port};branch=z9hG4bK${callId};rport\r\nFrom: <sip:x@127.0.0.1>;tag=1\r\nTo: <sip:bob@127.0.0.1>${extra}\r\nCall-ID: ${callId}\r\nCSeq: 1 ${cseqMethod}\r\nContent-Length: 0\r\n\r\n`;
    for (let i = 0; i < 60; i++) sock.send(req('OPTIONS', `bad${i}`, '', 'INVITE'), port, '127.0.0.1');
    for (let i = 0; i < 20; i++) sock.send(Buffer.from(`\x00garbage ${i}`), port, '127.0.0.1');
    sock.send(req('OPTIONS', 'good'), port, '127.0.0.1');
    sock.send(req('OPTIONS', 'needs-ext').replace('Content-Length: 0', 'Require: 100rel\r\nContent-Length: 0'), port, '127.0.0.1');
    sock.send(req('OPTIONS', 'scheme').replace(`OPTIONS sip:bob@127.0.0.1:${port}`, 'OPTIONS nobarr.url:bob'), port, '127.0.0.1');
    sock.send(req('BYE', 'nodialog', ';tag=zz'), port, '127.0.0.1');
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && !(replies.includes('200 good') && replies.includes('481 nodialog') && replies.includes('416 scheme') && replies.includes('420 needs-ext') && replies.filter((r) => r.startsWith('400')).length === 60)) {
      await new Promise((r) => setTimeout(r, 10));
    }
    sock.close();
    expect(replies).toContain('200 good');
    expect(replies).toContain('481 nodialog');
    expect(replies).toContain('420 needs-ext'); // §8.2.2.3: we support no extensions
    expect(replies).toContain('416 scheme');
    expect(replies.filter((r) => r.startsWith('400'))).toHaveLength(60);
    expect(bob.stats).toEqual({ badRequests: 61, dropped: 20 });
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

  it('answers 482 to a request merged from another path (§8.2.2.2)', async () => {
    const bob = await ua('bob');
    bob.on('incoming', () => undefined);
    const port = bob.localAddress('UDP')!.port;
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const statuses: number[] = [];
    sock.on('message', (m) => {
      const r = parseMessage(m);
      if (r.ok && r.message.type === 'response') statuses.push(r.message.status);
    });
    const invite = (branch: string): string =>
      `INVITE sip:bob@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${sock.address().port};branch=${branch};rport\r\nFrom: <sip:x@127.0.0.1>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: merged\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`;
    sock.send(invite('z9hG4bKpathA'), port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 50));
    sock.send(invite('z9hG4bKpathB'), port, '127.0.0.1');
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline && !statuses.includes(482)) await new Promise((r) => setTimeout(r, 10));
    sock.close();
    expect(statuses).toEqual([100, 482]);
  });

  it('fails a call to a silent address with 408 after Timer B', async () => {
    const alice = await ua('alice');
    const sink = createSocket('udp4');
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
    let retransmissions = 0;
    sink.on('message', () => retransmissions++);
    const out = alice.invite(`sip:nobody@127.0.0.1:${sink.address().port}`, offer('o'));
    await expect(out.answered).rejects.toMatchObject({ status: 408 });
    await new Promise((r) => setTimeout(r, 50)); // let the last retransmission arrive
    sink.close();
    // INVITE + Timer A at 1, 3, 7, 15, 31 and 63 T1; the last one races Timer B (64 T1) on a real
    // clock, so 6 or 7 (transactions.test.ts checks the exact schedule on a manual clock).
    expect(retransmissions).toBeGreaterThanOrEqual(6);
    expect(retransmissions).toBeLessThanOrEqual(7);
  });
});

describe('SipUa over TCP and IPv6', () => {
  it('calls over TCP: responses return on the request\'s connection, the callee\'s BYE reaches the caller', async () => {
    const alice = await ua('alice', { tcp: { port: 0 } });
    const bob = await ua('bob', { tcp: { port: 0 } });
    const incoming = nextIncoming(bob);
    const out = alice.invite(`sip:bob@127.0.0.1:${bob.localAddress('TCP')!.port};transport=tcp`, offer('tcp'));
    const inc = await incoming;
    inc.accept(offer('answer'));
    await out.answered;
    inc.bye();
    expect(await out.ended).toMatchObject({ by: 'remote', reason: 'BYE' });
  });

  it('fails at once with 503 when the TCP connection is refused (§8.1.3.1)', async () => {
    const alice = await ua('alice', { tcp: { port: 0 }, timers: { t1: 500, t2: 4000, t4: 5000, timerD: 32000 } });
    const closedPort = alice.localAddress('UDP')!.port; // nothing listens on TCP there
    const out = alice.invite(`sip:bob@127.0.0.1:${closedPort};transport=tcp`, offer('o'));
    await expect(out.answered).rejects.toMatchObject({ status: 503 });
  });

  it('calls over UDP on ::1 with bracketed IPv6 references', async () => {
    const alice = await ua('alice', { host: '::1' });
    const bob = await ua('bob', { host: '::1' });
    const incoming = nextIncoming(bob);
    const out = alice.invite(`sip:bob@[::1]:${bob.localAddress('UDP')!.port}`, offer('v6'));
    const inc = await incoming;
    inc.accept(offer('answer'));
    await out.answered;
    expect(out.dialog?.remoteTarget).toBe(`sip:bob@[::1]:${bob.localAddress('UDP')!.port}`);
    out.bye();
    await inc.ended;
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
