// OPTIONS (RFC 3261 §11.2) answered with Allow, Accept, Accept-Encoding and Supported that tell
// the truth: every method in Allow is one the UA takes (never 405/501 for it), every option tag
// in Supported passes a Require (no 420), and the bodies in Accept are those call/offer-intake.ts
// takes. Over UDP from a bare client on 127.0.0.1.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { SipResponse } from '../message';
import { parseMessage } from '../parser';
import { ACCEPT, OPTION_TAGS } from '../session';
import { uaPool } from '../test-support';

const pool = uaPool();
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await pool.closeAll();
});

let seq = 0;
async function ask(port: number, method: string, extra: string[] = []): Promise<SipResponse> {
  const c = createSocket('udp4');
  sockets.push(c);
  await new Promise<void>((r) => c.bind(0, '127.0.0.1', () => r()));
  const me = `127.0.0.1:${c.address().port}`;
  const id = `opt-${++seq}`;
  const answer = new Promise<SipResponse>((resolve) =>
    c.on('message', (d) => {
      const p = parseMessage(d);
      if (p.ok && p.message.type === 'response' && p.message.status >= 200) resolve(p.message);
    }),
  );
  const text = [`${method} sip:bob@127.0.0.1:${port} SIP/2.0`, `Via: SIP/2.0/UDP ${me};branch=z9hG4bK-${id};rport`, 'Max-Forwards: 70', `From: <sip:carol@${me}>;tag=${id}`, `To: <sip:bob@127.0.0.1:${port}>`, `Call-ID: ${id}`, `CSeq: 1 ${method}`, `Contact: <sip:carol@${me}>`, ...extra, 'Content-Length: 0', '', ''].join('\r\n');
  c.send(text, port, '127.0.0.1');
  return answer;
}

describe('OPTIONS tells the truth', () => {
  it('lists Allow, Accept, Accept-Encoding and Supported, each of them honoured', async () => {
    const bob = await pool.ua('bob');
    const port = bob.localAddress('UDP')!.port;
    const ok = await ask(port, 'OPTIONS');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('accept')).toBe(ACCEPT);
    expect(ok.headers.get('accept-encoding')).toBe('identity');
    const supported = (ok.headers.get('supported') ?? '').split(',').map((t) => t.trim());
    expect(supported).toEqual([...OPTION_TAGS]);
    const allow = (ok.headers.get('allow') ?? '').split(',').map((m) => m.trim());
    expect(allow).toEqual(expect.arrayContaining(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS']));
    // Every method Allow names is taken (outside a dialog it may be 481 or 4xx, never 405/501).
    for (const method of allow.filter((m) => !['ACK', 'INVITE', 'CANCEL'].includes(m))) {
      const res = await ask(port, method, method === 'REFER' ? ['Refer-To: <sip:dave@127.0.0.1>'] : method === 'NOTIFY' ? ['Event: refer', 'Subscription-State: active'] : []);
      expect([405, 501], `${method} got ${res.status}`).not.toContain(res.status);
    }
    // A method it does not list is refused with the same Allow.
    const no = await ask(port, 'PUBLISH');
    expect(no.status).toBe(405);
    expect(no.headers.get('allow')).toBe(ok.headers.get('allow'));
    // Every option tag in Supported may be required.
    for (const tag of supported) expect((await ask(port, 'OPTIONS', [`Require: ${tag}`])).status).toBe(200);
    expect((await ask(port, 'OPTIONS', ['Require: foo'])).status).toBe(420);
  });
});
