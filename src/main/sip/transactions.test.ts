import { describe, expect, it } from 'vitest';
import { SipHeaders } from './headers';
import type { SipMessage, SipRequest, SipResponse } from './message';
import { createResponse } from './response';
import { ManualScheduler } from './timers';
import type { SipTimers } from './timers';
import { TransactionLayer } from './transactions';
import type { ServerTransaction } from './transactions';
import type { TransportAddress } from './transport';

const TIMERS: SipTimers = { t1: 500, t2: 4000, t4: 5000, timerD: 32000 };
const UDP: TransportAddress = { protocol: 'UDP', host: '127.0.0.1', port: 5070 };
const TCP: TransportAddress = { protocol: 'TCP', host: '127.0.0.1', port: 5070 };

function req(method: string, branch = 'z9hG4bKa1', toTag?: string): SipRequest {
  return {
    type: 'request',
    method,
    uri: 'sip:b@127.0.0.1:5070',
    headers: SipHeaders.from([
      ['Via', `SIP/2.0/UDP 127.0.0.1:5071;branch=${branch};rport`],
      ['From', '<sip:a@127.0.0.1>;tag=fa'],
      ['To', `<sip:b@127.0.0.1>${toTag ? `;tag=${toTag}` : ''}`],
      ['Call-ID', 'call-1'],
      ['CSeq', `1 ${method}`],
    ]),
    body: '',
  };
}

function harness() {
  const scheduler = new ManualScheduler();
  const sent: SipMessage[] = [];
  const requests: [SipRequest, ServerTransaction | undefined][] = [];
  const stray: SipResponse[] = [];
  const layer = new TransactionLayer(TIMERS, scheduler, (m) => sent.push(m), {
    onRequest: (r, tx) => requests.push([r, tx]),
    onStrayResponse: (r) => stray.push(r),
  });
  return { scheduler, sent, requests, stray, layer };
}

const sentTimes = (h: ReturnType<typeof harness>, ms: number, step = 1): number[] => {
  const at: number[] = [];
  let n = h.sent.length;
  for (let t = 0; t < ms; t += step) {
    h.scheduler.advance(step);
    if (h.sent.length > n) at.push(h.scheduler.now);
    n = h.sent.length;
  }
  return at;
};

describe('INVITE client transaction (§17.1.1)', () => {
  it('retransmits with Timer A doubling and times out with Timer B as 408', () => {
    const h = harness();
    const got: SipResponse[] = [];
    h.layer.sendRequest(req('INVITE'), UDP, (r) => got.push(r));
    expect(h.sent).toHaveLength(1);
    const times = sentTimes(h, 64 * 500, 250);
    expect(times).toEqual([500, 1500, 3500, 7500, 15500, 31500]);
    expect(got.map((r) => r.status)).toEqual([408]);
    expect(h.layer.size.clients).toBe(0);
  });
  it('stops retransmitting on 1xx, ACKs a non-2xx final itself and absorbs retransmissions for Timer D', () => {
    const h = harness();
    const invite = req('INVITE');
    const got: number[] = [];
    h.layer.sendRequest(invite, UDP, (r) => got.push(r.status));
    h.layer.receiveResponse(createResponse(invite, 180, { toTag: 't' }), UDP);
    h.scheduler.advance(10000);
    expect(h.sent).toHaveLength(1);
    const busy = createResponse(invite, 486, { toTag: 't' });
    h.layer.receiveResponse(busy, UDP);
    h.layer.receiveResponse(busy, UDP);
    expect(got).toEqual([180, 486]);
    const acks = h.sent.filter((m) => m.type === 'request' && m.method === 'ACK') as SipRequest[];
    expect(acks).toHaveLength(2);
    expect(acks[0].headers.get('via')).toBe(invite.headers.get('via'));
    expect(acks[0].headers.get('to')).toContain('tag=t');
    expect(acks[0].headers.get('cseq')).toBe('1 ACK');
    h.scheduler.advance(31999);
    expect(h.layer.size.clients).toBe(1);
    h.scheduler.advance(1);
    expect(h.layer.size.clients).toBe(0);
  });
  it('passes 2xx up and leaves later 2xx retransmissions to the UA core', () => {
    const h = harness();
    const invite = req('INVITE');
    const got: number[] = [];
    h.layer.sendRequest(invite, UDP, (r) => got.push(r.status));
    const ok = createResponse(invite, 200, { toTag: 't' });
    h.layer.receiveResponse(ok, UDP);
    h.layer.receiveResponse(ok, UDP);
    expect(got).toEqual([200]);
    expect(h.stray).toHaveLength(1);
  });
  it('does not retransmit over TCP', () => {
    const h = harness();
    h.layer.sendRequest(req('INVITE'), TCP, () => undefined);
    h.scheduler.advance(31000);
    expect(h.sent).toHaveLength(1);
  });
});

describe('non-INVITE client transaction (§17.1.2)', () => {
  it('retransmits with Timer E capped at T2, then T2 after a provisional; Timer F gives 408', () => {
    const h = harness();
    const got: number[] = [];
    h.layer.sendRequest(req('OPTIONS'), UDP, (r) => got.push(r.status));
    expect(sentTimes(h, 16000, 250)).toEqual([500, 1500, 3500, 7500, 11500, 15500]);
    h.scheduler.advance(64 * 500 - 16000);
    expect(got).toEqual([408]);
  });
  it('Timer K absorbs retransmitted finals for T4', () => {
    const h = harness();
    const r = req('BYE', 'z9hG4bKb', 'x');
    const got: number[] = [];
    h.layer.sendRequest(r, UDP, (res) => got.push(res.status));
    const ok = createResponse(r, 200);
    h.layer.receiveResponse(ok, UDP);
    h.layer.receiveResponse(ok, UDP);
    expect(got).toEqual([200]);
    expect(h.stray).toHaveLength(0);
    h.scheduler.advance(5000);
    expect(h.layer.size.clients).toBe(0);
  });
});

describe('server transactions (§17.2)', () => {
  it('INVITE: answers retransmissions with the last response, retransmits a non-2xx with Timer G until the ACK', () => {
    const h = harness();
    h.layer.receiveRequest(req('INVITE'), UDP);
    const [[invite, tx]] = h.requests;
    expect(invite.headers.get('via')).toContain('rport=5070');
    tx!.respond(createResponse(invite, 180, { toTag: 'u' }));
    h.layer.receiveRequest(req('INVITE'), UDP);
    expect(h.sent.map((m) => (m as SipResponse).status)).toEqual([180, 180]);
    tx!.respond(createResponse(invite, 486, { toTag: 'u' }));
    expect(sentTimes(h, 8000, 250)).toEqual([500, 1500, 3500, 7500]);
    h.layer.receiveRequest(req('ACK'), UDP);
    expect(h.requests).toHaveLength(1);
    expect(sentTimes(h, 20000, 250)).toEqual([]);
    expect(h.layer.size.servers).toBe(0);
  });
  it('INVITE: after a 2xx, absorbs INVITE retransmissions for Timer L (RFC 6026 §7.1)', () => {
    const h = harness();
    h.layer.receiveRequest(req('INVITE'), UDP);
    h.requests[0][1]!.respond(createResponse(h.requests[0][0], 200, { toTag: 'u' }));
    h.layer.receiveRequest(req('INVITE'), UDP);
    expect(h.requests).toHaveLength(1);
    expect(h.sent).toHaveLength(1);
    h.layer.receiveRequest(req('ACK', 'z9hG4bKack', 'u'), UDP);
    expect(h.requests.map(([r]) => r.method)).toEqual(['INVITE', 'ACK']);
    h.scheduler.advance(64 * 500);
    expect(h.layer.size.servers).toBe(0);
  });
  it('INVITE: Timer H reports a missing ACK', () => {
    const h = harness();
    h.layer.receiveRequest(req('INVITE'), UDP);
    const tx = h.requests[0][1]!;
    let timedOut = false;
    if ('onAckTimeout' in tx) tx.onAckTimeout = () => (timedOut = true);
    tx.respond(createResponse(h.requests[0][0], 603, { toTag: 'u' }));
    h.scheduler.advance(64 * 500);
    expect(timedOut).toBe(true);
  });
  it('non-INVITE: Timer J keeps the response for retransmissions, 0 over TCP', () => {
    const h = harness();
    h.layer.receiveRequest(req('OPTIONS'), UDP);
    h.requests[0][1]!.respond(createResponse(h.requests[0][0], 200));
    h.layer.receiveRequest(req('OPTIONS'), UDP);
    expect(h.sent).toHaveLength(2);
    h.scheduler.advance(64 * 500);
    expect(h.layer.size.servers).toBe(0);
    h.layer.receiveRequest(req('OPTIONS', 'z9hG4bKtcp'), TCP);
    h.requests[1][1]!.respond(createResponse(h.requests[1][0], 200));
    h.scheduler.advance(0);
    expect(h.layer.size.servers).toBe(0);
  });
  it('detects a merged request (§8.2.2.2)', () => {
    const h = harness();
    h.layer.receiveRequest(req('INVITE', 'z9hG4bKpath1'), UDP);
    h.layer.receiveRequest(req('INVITE', 'z9hG4bKpath2'), UDP);
    const [[, first], [second, tx2]] = h.requests;
    expect(h.layer.isMergedRequest(h.requests[0][0], first!)).toBe(false);
    expect(h.layer.isMergedRequest(second, tx2!)).toBe(true);
  });
  it('finds the INVITE a CANCEL targets', () => {
    const h = harness();
    h.layer.receiveRequest(req('INVITE'), UDP);
    expect(h.layer.findInviteServer(req('CANCEL'))).toBe(h.requests[0][1]);
    expect(h.layer.findInviteServer(req('CANCEL', 'z9hG4bKother'))).toBeUndefined();
  });
});
