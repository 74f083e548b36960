// Registration in the background (issue 16): a silent registrar is named at once and again when
// the REGISTER times out, with the time to the next attempt; a refusing one is retried and the
// binding made once it accepts. SIP timers are shortened (T1 = 20 ms) so this runs in seconds.
import { describe, it, expect, afterEach } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import type { RegistrationInfo } from '../../shared/api';
import { SipUa } from '../sip';
import { parseMessage } from '../sip/parser';
import { createResponse } from '../sip/response';
import { serializeMessage } from '../sip/serializer';
import { RegistrationKeeper } from './registration-keeper';

const TIMERS = { t1: 20, t2: 160, t4: 200, timerD: 200 };

/** A UDP registrar on loopback: `answer` gives each REGISTER's status (0: stay silent). */
async function registrar(answer: (n: number) => number): Promise<{ socket: Socket; port: number; requests: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const state = { socket, port: socket.address().port, requests: 0 };
  const seen = new Set<string>();
  socket.on('message', (data, rinfo) => {
    const r = parseMessage(data);
    if (!r.ok || r.message.type !== 'request' || r.message.method !== 'REGISTER') return;
    const req = r.message;
    // Count attempts, not retransmissions: each new CSeq is a new REGISTER.
    const cseq = req.headers.get('cseq') ?? '';
    if (!seen.has(cseq)) {
      seen.add(cseq);
      state.requests++;
    }
    const status = answer(state.requests);
    if (status === 0) return;
    const headers: [string, string][] = status === 200 ? [['Contact', `${req.headers.get('contact')};expires=60`]] : [];
    socket.send(serializeMessage(createResponse(req, status, { toTag: 'reg', headers })), rinfo.port, rinfo.address);
  });
  return state;
}

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function keep(port: number): Promise<{ keeper: RegistrationKeeper; reports: { at: number; r: RegistrationInfo }[]; started: number }> {
  const ua = await SipUa.start({ user: 'alice', host: '127.0.0.1', registrar: `sip:127.0.0.1:${port}`, registerOnStart: false, timers: TIMERS });
  cleanup.push(() => ua.close());
  const reports: { at: number; r: RegistrationInfo }[] = [];
  const started = Date.now();
  const keeper = new RegistrationKeeper(ua, 'sip:alice@127.0.0.1', `127.0.0.1:${port}`, (r) => reports.push({ at: Date.now(), r }), () => true);
  cleanup.push(() => keeper.stop());
  return { keeper, reports, started };
}

async function until<T>(get: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('registration keeper', () => {
  it('names a silent registrar while it retransmits, then says when it tries again', async () => {
    const reg = await registrar(() => 0);
    cleanup.push(() => reg.socket.close());
    const { keeper, reports, started } = await keep(reg.port);
    const first = keeper.first.then(
      () => 'registered',
      (e: Error) => e.message,
    );
    const noAnswer = await until(() => reports.find((x) => x.r.state === 'registering' && x.r.reason), 2000);
    expect(noAnswer.r).toEqual({ state: 'registering', address: 'sip:alice@127.0.0.1', reason: `no answer from 127.0.0.1:${reg.port}`, retryInSeconds: 1 });
    // 8 T1 after the REGISTER left: while Timer F (64 T1) still runs.
    expect(noAnswer.at - started).toBeGreaterThanOrEqual(8 * TIMERS.t1 - 5);
    expect(noAnswer.at - started).toBeLessThan(64 * TIMERS.t1);
    const failed = await until(() => reports.find((x) => x.r.state === 'failed'), 5000);
    expect(failed.r).toMatchObject({ reason: `no answer from 127.0.0.1:${reg.port}`, retryInSeconds: 5 });
    expect(await first).toBe(`registration failed: no answer from 127.0.0.1:${reg.port}`);
    expect(reg.requests).toBe(1);
  });

  it('retries a refused registration and registers once the registrar accepts', async () => {
    const reg = await registrar((n) => (n === 1 ? 403 : 200));
    cleanup.push(() => reg.socket.close());
    const { keeper, reports } = await keep(reg.port);
    await expect(keeper.first).rejects.toThrow(/403/);
    const failed = reports.find((x) => x.r.state === 'failed')!;
    expect(failed.r).toMatchObject({ reason: 'REGISTER failed: 403 Forbidden', retryInSeconds: 5 });
    const registered = await until(() => reports.find((x) => x.r.state === 'registered'), 8000);
    expect(registered.at - failed.at).toBeGreaterThanOrEqual(4900);
    expect(reports.map((x) => x.r.state)).toEqual(['failed', 'registering', 'registered']);
    expect(reg.requests).toBe(2);
  }, 15_000);

  it('stops: no attempt after stop()', async () => {
    const reg = await registrar(() => 403);
    cleanup.push(() => reg.socket.close());
    const { keeper, reports } = await keep(reg.port);
    await expect(keeper.first).rejects.toThrow(/403/);
    keeper.stop();
    await new Promise((r) => setTimeout(r, 5500));
    expect(reports.map((x) => x.r.state)).toEqual(['failed']);
    expect(reg.requests).toBe(1);
  }, 15_000);
});
