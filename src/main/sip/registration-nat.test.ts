// A registrar across a NAT, with real sockets on 127.0.0.1: a small registrar that reports a
// different source port in `rport` (as a NAT's mapping would look) makes the UA register that
// address; a changed mapping seen in a keep-alive re-registers; keep-alives arrive at the
// configured interval (OPTIONS on UDP, double-CRLF pings on TCP); a network change re-registers.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { Socket as TcpSocket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cseqOf } from './message';
import type { SipRequest } from './message';
import { parseMessage } from './parser';
import { createResponse } from './response';
import { serializeMessage } from './serializer';
import { SipUa } from './ua';
import type { SipUaOptions } from './ua';

const FAST: SipUaOptions['timers'] = { t1: 20, t2: 160, t4: 200, timerD: 200 };
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** The 200 (or other) answer, with our Via's rport/received filled in as `mapped` says. */
function answer(req: SipRequest, mapped: { port: number } | undefined): Buffer {
  const res = createResponse(req, 200, { toTag: 'reg', headers: req.method === 'REGISTER' ? [['Contact', `${req.headers.get('contact')};expires=60`]] : [] });
  if (mapped) {
    const vias = res.headers.getAll('via');
    res.headers.delete('via');
    res.headers.add('Via', vias[0].replace(/;rport(=\d*)?/, `;rport=${mapped.port};received=127.0.0.1`));
    for (const v of vias.slice(1)) res.headers.add('Via', v);
  }
  return serializeMessage(res);
}

interface Seen {
  req: SipRequest;
  at: number;
}

async function udpRegistrar(mapped: { port: number }): Promise<{ port: number; seen: Seen[] }> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const seen: Seen[] = [];
  sock.on('message', (data, rinfo) => {
    const p = parseMessage(data);
    if (!p.ok || p.message.type !== 'request') return;
    seen.push({ req: p.message, at: Date.now() });
    sock.send(answer(p.message, mapped), rinfo.port, rinfo.address);
  });
  cleanup.push(() => new Promise<void>((r) => sock.close(() => r())));
  return { port: sock.address().port, seen };
}

async function waitFor(pred: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const registers = (seen: Seen[]): SipRequest[] => [...new Map(seen.filter((s) => s.req.method === 'REGISTER').map((s) => [cseqOf(s.req).seq, s.req])).values()];
const contactPort = (r: SipRequest): number => Number(/:(\d+)>?/.exec(r.headers.get('contact') ?? '')?.[1]);

describe('registration across a NAT', () => {
  it('registers the address the registrar saw (rport), and again when a keep-alive shows it changed', async () => {
    const mapped = { port: 40001 };
    const reg = await udpRegistrar(mapped);
    const ua = await SipUa.start({
      user: 'alice',
      host: '127.0.0.1',
      registrar: `sip:127.0.0.1:${reg.port}`,
      outboundProxy: `sip:127.0.0.1:${reg.port};lr`,
      timers: FAST,
      keepAliveSeconds: 1,
      networkPoll: false,
    });
    cleanup.push(() => ua.close());
    const local = ua.localAddress('UDP')!.port;
    const [first, second] = registers(reg.seen);
    expect(contactPort(first)).toBe(local);
    expect(first.headers.getAll('via')[0]).toMatch(/;rport(;|$)/);
    expect(contactPort(second)).toBe(40001);
    // §10.2.2: the private binding is removed in the same REGISTER.
    expect(second.headers.get('contact')).toContain(`:${local}>;expires=0`);
    expect(ua.registration?.publicAddress).toEqual({ host: '127.0.0.1', port: 40001 });
    // A call through the registrar gives it the public Contact too; anyone else gets the local one.
    const call = ua.invite('sip:bob@vouch.test', { contentType: 'application/sdp', body: 'v=0\r\n' });
    await waitFor(() => reg.seen.some((s) => s.req.method === 'INVITE'), 2000);
    expect(contactPort(reg.seen.find((s) => s.req.method === 'INVITE')!.req)).toBe(40001);
    call.bye();
    expect(ua.contactFor('UDP', '127.0.0.2')).toContain(`:${local}`);
    // The NAT's mapping changes; the next keep-alive's answer shows it.
    mapped.port = 40002;
    await waitFor(() => registers(reg.seen).some((r) => contactPort(r) === 40002), 3000);
    expect(registers(reg.seen).find((r) => contactPort(r) === 40002)!.headers.get('contact')).toContain(':40001>;expires=0');
    expect(ua.registration?.publicAddress).toEqual({ host: '127.0.0.1', port: 40002 });
  });

  it('sends an OPTIONS keep-alive to the registrar every keepAliveSeconds', async () => {
    const reg = await udpRegistrar({ port: 0 });
    // rport 0 is no mapping: the registrar reports nothing useful, the Contact stays local.
    const ua = await SipUa.start({ user: 'bob', host: '127.0.0.1', registrar: `sip:127.0.0.1:${reg.port}`, timers: FAST, keepAliveSeconds: 1, networkPoll: false });
    cleanup.push(() => ua.close());
    await waitFor(() => new Set(reg.seen.filter((s) => s.req.method === 'OPTIONS').map((s) => s.req.headers.get('call-id'))).size >= 3, 8000);
    const firsts = [...new Map(reg.seen.filter((s) => s.req.method === 'OPTIONS').map((s) => [s.req.headers.get('call-id'), s.at])).values()];
    const gaps = firsts.slice(1).map((t, i) => t - firsts[i]);
    for (const g of gaps.slice(0, 2)) {
      expect(g).toBeGreaterThan(900);
      expect(g).toBeLessThan(1500);
    }
    expect(registers(reg.seen)).toHaveLength(1);
  });

  it('re-registers at once after a network change (interface poll injected)', async () => {
    const reg = await udpRegistrar({ port: 0 });
    let interfaces = 'eth0|198.51.100.7';
    let polls = 0;
    const read = (): string => (polls++, interfaces);
    const ua = await SipUa.start({ user: 'carol', host: '127.0.0.1', registrar: `sip:127.0.0.1:${reg.port}`, timers: FAST, keepAliveSeconds: 0, networkPoll: { intervalMs: 100, read } });
    cleanup.push(() => ua.close());
    expect(registers(reg.seen)).toHaveLength(1);
    // Three more polls that find the same interfaces: no new REGISTER.
    const polled = polls;
    await waitFor(() => polls >= polled + 3, 2000);
    expect(registers(reg.seen)).toHaveLength(1);
    interfaces = 'wlan0|198.51.100.8';
    await waitFor(() => registers(reg.seen).length === 2, 2000);
  });

  it('pings the registrar over TCP with a double CRLF (RFC 5626 §3.5.1) and answers its pings with one', async () => {
    const chunks: { data: string; at: number }[] = [];
    let conn: TcpSocket | undefined;
    const server = createServer((s) => {
      conn = s;
      let buf = '';
      s.on('data', (d: Buffer) => {
        chunks.push({ data: d.toString('latin1'), at: Date.now() });
        buf += d.toString('latin1');
        const end = buf.indexOf('\r\n\r\n');
        if (end > 0 && /^REGISTER /.test(buf)) {
          const p = parseMessage(Buffer.from(buf.slice(0, end + 4), 'latin1'));
          buf = buf.slice(end + 4);
          if (p.ok && p.message.type === 'request') s.write(answer(p.message, undefined));
        } else if (buf.startsWith('\r\n\r\n')) {
          buf = buf.slice(4);
          s.write('\r\n'); // pong
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    cleanup.push(() => void conn?.destroy());
    const port = (server.address() as { port: number }).port;
    const ua = await SipUa.start({ user: 'dave', host: '127.0.0.1', udp: false, tcp: { port: 0 }, registrar: `sip:127.0.0.1:${port};transport=tcp`, timers: FAST, keepAliveSeconds: 1, networkPoll: false });
    cleanup.push(() => ua.close());
    await waitFor(() => chunks.filter((c) => c.data === '\r\n\r\n').length >= 2, 4000);
    const pings = chunks.filter((c) => c.data === '\r\n\r\n');
    expect(pings[1].at - pings[0].at).toBeGreaterThan(900);
    expect(pings[1].at - pings[0].at).toBeLessThan(1500);
    // Its ping to us: one CRLF back on the same connection.
    const before = chunks.length;
    conn!.write('\r\n\r\n');
    await waitFor(() => chunks.slice(before).some((c) => c.data === '\r\n'), 2000);
  });
});
