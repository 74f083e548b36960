// What the user agent answers itself and how it reaches peers (RFC 3261 §8.2, §17, §18):
// incoming.ts (OPTIONS, 481, 482, 400/416/420), the INVITE client transaction's Timer B and
// transport failures (outgoing.ts), and calls over TCP and IPv6 (transports.ts).
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMessage } from '../parser';
import { nextIncoming, offer, uaPool } from '../test-support';
import { untilUdpDrained } from '../../../../test/interop/ports';

const { ua, closeAll } = uaPool();

afterEach(closeAll);

describe('SipUa on UDP loopback', () => {
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
    sock.send(req('OPTIONS', 'needs-ext').replace('Content-Length: 0', 'Require: 100rel, x-vouch-unknown\r\nContent-Length: 0'), port, '127.0.0.1');
    sock.send(req('OPTIONS', 'scheme').replace(`OPTIONS sip:bob@127.0.0.1:${port}`, 'OPTIONS nobarr.url:bob'), port, '127.0.0.1');
    sock.send(req('BYE', 'nodialog', ';tag=zz'), port, '127.0.0.1');
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && !(replies.includes('200 good') && replies.includes('481 nodialog') && replies.includes('416 scheme') && replies.includes('420 needs-ext') && replies.filter((r) => r.startsWith('400')).length === 60)) {
      await new Promise((r) => setTimeout(r, 10));
    }
    sock.close();
    expect(replies).toContain('200 good');
    expect(replies).toContain('481 nodialog');
    expect(replies).toContain('420 needs-ext'); // §8.2.2.3: an extension we do not support (100rel we do)
    expect(replies).toContain('416 scheme');
    expect(replies.filter((r) => r.startsWith('400'))).toHaveLength(60);
    expect(bob.stats).toEqual({ badRequests: 61, dropped: 20 });
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
    // The first INVITE is a call once its 100 Trying comes (§17.2.1); the second merges into it.
    for (const end = Date.now() + 2000; !statuses.includes(100) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
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
    await untilUdpDrained(sink.address().port); // every retransmission sent so far has been read
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
