import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { digestResponse, parseChallenge } from './digest';
import { parseParams } from './params';
import { cseqOf } from './message';
import type { SipRequest } from './message';
import { parseMessage } from './parser';
import { createResponse } from './response';
import { serializeMessage } from './serializer';
import { SipUa } from './ua';

/** A registrar on a raw UDP socket: challenges with SHA-256 digest, checks the answer, grants `expires`. */
async function fakeRegistrar(expires: number, minExpires = 0): Promise<{ socket: Socket; port: number; requests: SipRequest[] }> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const requests: SipRequest[] = [];
  socket.on('message', (data, rinfo) => {
    const r = parseMessage(data);
    if (!r.ok || r.message.type !== 'request') return;
    const req = r.message;
    requests.push(req);
    const auth = req.headers.get('authorization');
    let res;
    if (!auth) {
      res = createResponse(req, 401, { toTag: 'reg', headers: [['WWW-Authenticate', 'Digest realm="vouch.test", nonce="n0nce", qop="auth", algorithm=SHA-256']] });
    } else {
      const p = parseParams(auth.replace(/^Digest\s+/i, '').replace(/,\s*/g, ';'))!;
      const expected = digestResponse({ algorithm: 'SHA-256', username: p.get('username')!, realm: 'vouch.test', password: 'pw', method: 'REGISTER', uri: p.get('uri')!, nonce: 'n0nce', qop: 'auth', nc: p.get('nc')!, cnonce: p.get('cnonce')! });
      const ok = p.get('response') === expected;
      const asked = Number(req.headers.get('expires'));
      if (ok && asked > 0 && asked < minExpires) res = createResponse(req, 423, { toTag: 'reg', headers: [['Min-Expires', String(minExpires)]] });
      else res = ok ? createResponse(req, 200, { toTag: 'reg', headers: asked === 0 ? [] : [['Contact', `${req.headers.get('contact')};expires=${expires}`]] }) : createResponse(req, 403, { toTag: 'reg' });
    }
    socket.send(serializeMessage(res), rinfo.port, rinfo.address);
  });
  return { socket, port: socket.address().port, requests };
}

describe('registration (RFC 3261 §10.2)', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  it('registers with SHA-256 digest, refreshes before expiry, unregisters on close', async () => {
    const reg = await fakeRegistrar(2);
    cleanup.push(() => void reg.socket.close());
    const ua = await SipUa.start({ user: 'alice', host: '127.0.0.1', registrar: `sip:127.0.0.1:${reg.port}`, password: 'pw', registerExpires: 2, timers: { t1: 20, t2: 160, t4: 200, timerD: 200 } });
    cleanup.push(() => ua.close());
    expect(ua.registration?.expires).toBe(2);
    // One entry per CSeq: with T1 = 20 ms a loaded machine may retransmit a REGISTER (§17.1.2.2).
    expect([...new Map(reg.requests.map((r) => [cseqOf(r).seq, r.headers.has('authorization')]))]).toEqual([
      [1, false],
      [2, true],
    ]);
    // Refresh at half the 2 s interval: a new challenge round on the same Call-ID, CSeq going up.
    await new Promise<void>((resolve) => ua.registration!.once('refreshed', () => resolve()));
    expect(reg.requests.length).toBeGreaterThanOrEqual(3);
    expect(new Set(reg.requests.map((r) => r.headers.get('call-id'))).size).toBe(1);
    const seqs = reg.requests.map((r) => cseqOf(r).seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await ua.close();
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && !reg.requests.some((r) => r.headers.get('expires') === '0')) await new Promise((r) => setTimeout(r, 10));
    expect(reg.requests.filter((r) => r.headers.get('expires') === '0').length).toBeGreaterThan(0);
    expect(parseChallenge('Digest realm="vouch.test", nonce="n0nce", qop="auth", algorithm=SHA-256')?.algorithm).toBe('SHA-256');
  });

  it('asks again with Min-Expires after 423 Interval Too Brief (§10.2.8)', async () => {
    const reg = await fakeRegistrar(3600, 3600);
    cleanup.push(() => void reg.socket.close());
    const ua = await SipUa.start({ user: 'bob', host: '127.0.0.1', registrar: `sip:127.0.0.1:${reg.port}`, password: 'pw', registerExpires: 60, timers: { t1: 20, t2: 160, t4: 200, timerD: 200 } });
    cleanup.push(() => ua.close());
    expect(ua.registration?.expires).toBe(3600);
    // One entry per CSeq: with T1 = 20 ms a loaded machine may retransmit a REGISTER (§17.1.2.2).
    const perCseq = new Map(reg.requests.map((r) => [cseqOf(r).seq, r.headers.get('expires')]));
    expect([...perCseq.values()]).toEqual(['60', '60', '3600', '3600']);
  });
});
