// RFC 3261 §14.1: as UAS, our re-INVITE waits until the initial 2xx is acknowledged (measured
// before: sent 3.5 ms after the 200, before the ACK). A bare UAC on 127.0.0.1 holds its ACK back.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMessage } from '../parser';
import type { SipMessage } from '../message';
import { nextIncoming, offer, uaPool } from '../test-support';

const pool = uaPool();
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await pool.closeAll();
});

describe('a re-INVITE of ours as UAS', () => {
  it('waits for the ACK of the initial 2xx', async () => {
    const bob = await pool.ua('bob');
    const bobPort = bob.localAddress('UDP')!.port;
    const uac = createSocket('udp4');
    sockets.push(uac);
    await new Promise<void>((r) => uac.bind(0, '127.0.0.1', () => r()));
    const me = `127.0.0.1:${uac.address().port}`;
    const log: { at: number; what: string; msg?: SipMessage }[] = [];
    const seen = (pred: (m: SipMessage) => boolean) =>
      new Promise<SipMessage>((resolve) =>
        uac.on('message', (d) => {
          const p = parseMessage(d);
          if (!p.ok) return;
          if (p.message.type === 'request') log.push({ at: Date.now(), what: p.message.method, msg: p.message });
          if (pred(p.message)) resolve(p.message);
        }),
      );
    const ok = seen((m) => m.type === 'response' && m.status === 200);
    const reinvite = seen((m) => m.type === 'request' && m.method === 'INVITE');
    const body = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=caller\r\n';
    const incoming = nextIncoming(bob);
    uac.send(
      [
        `INVITE sip:bob@127.0.0.1:${bobPort} SIP/2.0`,
        `Via: SIP/2.0/UDP ${me};branch=z9hG4bK-hold-ack;rport`,
        'Max-Forwards: 70',
        `From: <sip:carol@${me}>;tag=carol`,
        `To: <sip:bob@127.0.0.1:${bobPort}>`,
        'Call-ID: hold-ack',
        'CSeq: 1 INVITE',
        `Contact: <sip:carol@${me}>`,
        'Content-Type: application/sdp',
        `Content-Length: ${body.length}`,
        '',
        body,
      ].join('\r\n'),
      bobPort,
      '127.0.0.1',
    );
    const inc = await incoming;
    inc.accept(offer('answer'));
    // Bob re-offers at once, as an add-video would.
    void inc.reinvite(offer('reoffer')).catch(() => undefined);
    const res = await ok;
    await new Promise((r) => setTimeout(r, 150));
    expect(log.filter((l) => l.what === 'INVITE')).toHaveLength(0);
    const ackAt = Date.now();
    uac.send(
      [
        `ACK sip:bob@127.0.0.1:${bobPort} SIP/2.0`,
        `Via: SIP/2.0/UDP ${me};branch=z9hG4bK-hold-ack-2;rport`,
        'Max-Forwards: 70',
        `From: ${res.headers.get('from')}`,
        `To: ${res.headers.get('to')}`,
        'Call-ID: hold-ack',
        'CSeq: 1 ACK',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
      bobPort,
      '127.0.0.1',
    );
    const re = await reinvite;
    expect(log.find((l) => l.what === 'INVITE')!.at).toBeGreaterThanOrEqual(ackAt);
    expect(re.body).toContain('s=reoffer');
  });
});
