// TCP connection guards (issue 20) with real sockets on 127.0.0.1 against a real UA: a flood of
// idle connections is held to the cap and a real client is still answered; a client that never
// finishes its message, or says nothing at all, is closed after the (shortened) timeouts; an
// oversized request gets 413 and the connection closes. Over TLS, a handshake never finished
// counts as an incomplete message.
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { offer, uaPool } from './test-support';
import type { SipSession } from './session';
import { findPeer } from '../../../test/interop/peers';
import { makeCertificates } from '../../../test/interop/kamailio/kamailio';
import type { SipUa } from './ua';

const pool = uaPool();
afterEach(() => pool.closeAll());

// Timeouts far apart, and upper bounds that only tell one timer from the other (never a tight
// deadline): a loaded machine delays timers by hundreds of milliseconds.
const GUARDS = { maxConnections: 40, maxPerSource: 30, incompleteMessageMs: 800, idleMs: 3000 };

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

function closed(s: Socket): Promise<number> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    if (s.destroyed) resolve(0);
    s.once('close', () => resolve(Date.now() - t0));
  });
}

/** Reads until a whole response head is in; resolves with the status line. */
function statusLine(s: Socket): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    s.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (text.includes('\r\n\r\n')) resolve(text.split('\r\n')[0]);
    });
    s.once('close', () => reject(new Error(`closed before a response: ${JSON.stringify(text)}`)));
  });
}

function options(port: number, localPort: number, tag: string, extra = ''): string {
  return [
    'OPTIONS sip:bob@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/TCP 127.0.0.1:${localPort};branch=z9hG4bK${tag}`,
    'Max-Forwards: 70',
    `From: <sip:guard@127.0.0.1>;tag=${tag}`,
    `To: <sip:bob@127.0.0.1:${port}>`,
    `Call-ID: ${tag}@127.0.0.1`,
    'CSeq: 1 OPTIONS',
    extra,
  ]
    .filter(Boolean)
    .join('\r\n');
}

async function bob(): Promise<{ ua: SipUa; port: number }> {
  const ua = await pool.ua('bob', { tcp: { port: 0 }, streamGuards: GUARDS });
  return { ua, port: ua.localAddress('TCP')!.port };
}

describe('TCP connection guards', () => {
  it('holds at most the cap of 500 idle connections, and a real client is still answered', async () => {
    const { port } = await bob();
    const flood: Socket[] = [];
    const closes: Promise<number>[] = [];
    for (let i = 0; i < 500; i++) {
      const s = await open(port).catch(() => undefined);
      if (!s) continue;
      s.on('error', () => undefined);
      flood.push(s);
      closes.push(closed(s));
    }
    // The server's closes arrive: no more than the cap stay open.
    const stillOpen = (): number => flood.filter((s) => !s.destroyed && !s.readableEnded).length;
    for (const end = Date.now() + 5000; stillOpen() > GUARDS.maxPerSource && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
    expect(stillOpen()).toBeLessThanOrEqual(GUARDS.maxPerSource);
    const client = await open(port);
    const answer = statusLine(client);
    client.write(`${options(port, client.localPort!, 'real', 'Content-Length: 0')}\r\n\r\n`);
    expect(await answer).toBe('SIP/2.0 200 OK');
    client.destroy();
    for (const s of flood) s.destroy();
  }, 20_000);

  it('refuses a connection past the cap when every held one has spoken', async () => {
    const { port } = await bob();
    const held: Socket[] = [];
    for (let i = 0; i < GUARDS.maxPerSource; i++) {
      const s = await open(port);
      const answer = statusLine(s);
      s.write(`${options(port, s.localPort!, `h${i}`, 'Content-Length: 0')}\r\n\r\n`);
      await answer;
      held.push(s);
    }
    const extra = await open(port);
    extra.on('error', () => undefined);
    // Refused at once: well before the idle timer could have closed it.
    expect(await closed(extra)).toBeLessThan(GUARDS.idleMs - 500);
    for (const s of held) expect(s.destroyed).toBe(false);
    for (const s of held) s.destroy();
  }, 20_000);

  it('closes a client whose message is not complete within the timeout (slowloris)', async () => {
    const { port } = await bob();
    const slow = await open(port);
    const done = closed(slow);
    slow.write(options(port, slow.localPort!, 'slow').slice(0, 60));
    // Dribbling bytes does not restart the clock for a message.
    const drip = setInterval(() => !slow.destroyed && slow.write('X'), 50);
    const after = await done;
    clearInterval(drip);
    expect(after).toBeGreaterThanOrEqual(GUARDS.incompleteMessageMs - 50);
    expect(after).toBeLessThan(GUARDS.idleMs - 500);
  });

  it('closes a connection that says nothing and carries no call, after the idle time', async () => {
    const { port } = await bob();
    const quiet = await open(port);
    expect(await closed(quiet)).toBeGreaterThanOrEqual(GUARDS.idleMs - 50);
  });

  it('keeps a connection that keeps talking (keep-alive pings) past the idle time', async () => {
    const { port } = await bob();
    const s = await open(port);
    let gone = false;
    s.once('close', () => (gone = true));
    // Pings for longer than the idle time.
    for (let i = 0; i < Math.ceil((GUARDS.idleMs + 600) / 200); i++) {
      s.write('\r\n\r\n');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(gone).toBe(false);
    s.destroy();
  });

  it('answers an oversized request 413 and closes the connection', async () => {
    const { port } = await bob();
    const s = await open(port);
    const done = closed(s);
    const answer = statusLine(s);
    s.write(`${options(port, s.localPort!, 'big', 'Content-Length: 70000')}\r\n\r\n`);
    expect(await answer).toBe('SIP/2.0 413 Request Entity Too Large');
    expect(await done).toBeLessThan(GUARDS.idleMs - 500);
  });
});

describe('TLS connection guards', () => {
  it('closes a client that never completes its TLS handshake, and one that stalls its message after it', async () => {
    const openssl = findPeer('openssl', 'openssl');
    if (!openssl) return;
    const certs = makeCertificates(openssl);
    try {
      const ua = await pool.ua('bob', { tls: { port: 0, cert: certs.clientCertPem, key: certs.clientKeyPem }, streamGuards: GUARDS });
      const port = ua.localAddress('TLS')!.port;
      const silent = await open(port);
      silent.on('error', () => undefined);
      expect(await closed(silent)).toBeLessThan(GUARDS.idleMs - 500);
      const slow = await new Promise<TLSSocket>((resolve, reject) => {
        const s = tlsConnect({ host: '127.0.0.1', port, ca: certs.caPem }, () => resolve(s));
        s.once('error', reject);
      });
      slow.on('error', () => undefined);
      const done = closed(slow);
      slow.write('OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1');
      const after = await done;
      expect(after).toBeGreaterThanOrEqual(GUARDS.incompleteMessageMs - 50);
      expect(after).toBeLessThan(GUARDS.idleMs - 500);
    } finally {
      rmSync(certs.dir, { recursive: true, force: true });
    }
  });
});

describe('TLS handshakes under way', () => {
  it('are held to twice the connection cap', async () => {
    const openssl = findPeer('openssl', 'openssl');
    if (!openssl) return;
    const certs = makeCertificates(openssl);
    try {
      const ua = await pool.ua('bob', { tls: { port: 0, cert: certs.clientCertPem, key: certs.clientKeyPem }, streamGuards: { ...GUARDS, incompleteMessageMs: 5000 } });
      const port = ua.localAddress('TLS')!.port;
      const flood: Socket[] = [];
      for (let i = 0; i < 3 * GUARDS.maxConnections; i++) {
        const s = await open(port).catch(() => undefined);
        s?.on('error', () => undefined);
        if (s) flood.push(s);
      }
      const stillUp = (): number => flood.filter((s) => !s.destroyed).length;
      for (const end = Date.now() + 5000; stillUp() > 2 * GUARDS.maxConnections && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
      expect(stillUp()).toBeLessThanOrEqual(2 * GUARDS.maxConnections);
      for (const s of flood) s.destroy();
    } finally {
      rmSync(certs.dir, { recursive: true, force: true });
    }
  });
});

describe('an idle connection that carries a call', () => {
  it('stays past the idle time while the call lasts', async () => {
    const { ua, port } = await bob();
    const s = await open(port);
    let gone = false;
    s.once('close', () => (gone = true));
    const incoming = new Promise<SipSession>((r) => ua.once('incoming', r));
    let text = '';
    const ok = new Promise<string>((resolve) =>
      s.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        const m = /SIP\/2\.0 200 OK[\s\S]*?\r\n\r\n/.exec(text);
        if (m) resolve(m[0]);
      }),
    );
    const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n';
    const me = `127.0.0.1:${s.localPort!}`;
    const head = ['INVITE sip:bob@127.0.0.1 SIP/2.0', `Via: SIP/2.0/TCP ${me};branch=z9hG4bKcall`, 'Max-Forwards: 70', 'From: <sip:carol@127.0.0.1>;tag=carol', `To: <sip:bob@127.0.0.1:${port}>`, 'Call-ID: idle-call@127.0.0.1', 'CSeq: 1 INVITE', `Contact: <sip:carol@${me};transport=tcp>`, 'Content-Type: application/sdp', `Content-Length: ${sdp.length}`];
    s.write(`${head.join('\r\n')}\r\n\r\n${sdp}`);
    (await incoming).accept(offer('answer'));
    const res = await ok;
    const to = /\r\nTo: ([^\r]*)/i.exec(res)![1];
    s.write(['ACK sip:bob@127.0.0.1 SIP/2.0', `Via: SIP/2.0/TCP ${me};branch=z9hG4bKack`, 'Max-Forwards: 70', 'From: <sip:carol@127.0.0.1>;tag=carol', `To: ${to}`, 'Call-ID: idle-call@127.0.0.1', 'CSeq: 1 ACK', 'Content-Length: 0', '', ''].join('\r\n'));
    await new Promise((r) => setTimeout(r, GUARDS.idleMs * 2));
    expect(gone).toBe(false);
    s.destroy();
  });
});
