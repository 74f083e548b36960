// RFC 3261 §17.2.3 backward compatibility: requests from RFC 2543 elements (a Via branch without
// the z9hG4bK magic cookie, or none) are matched to server transactions by Request-URI, To tag,
// From tag, Call-ID, CSeq number and top Via, not by their branch.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SipHeaders } from './headers';
import type { SipMessage, SipRequest } from './message';
import { createResponse } from './response';
import { ManualScheduler } from './timers';
import { TransactionLayer } from './transactions';
import type { ServerTransaction } from './transactions';
import type { TransportAddress } from './transport';

const UDP: TransportAddress = { protocol: 'UDP', host: '127.0.0.1', port: 5071 };

interface Fields {
  method: string;
  uri: string;
  via: string;
  fromTag: string;
  toTag?: string;
  callId: string;
  seq: number;
}

const BASE: Fields = { method: 'INVITE', uri: 'sip:b@127.0.0.1:5070', via: 'SIP/2.0/UDP 127.0.0.1:5071;branch=1', fromTag: 'fa', callId: 'call-2543', seq: 1 };

function req(f: Partial<Fields> = {}): SipRequest {
  const x = { ...BASE, ...f };
  return {
    type: 'request',
    method: x.method,
    uri: x.uri,
    headers: SipHeaders.from([
      ['Via', x.via],
      ['From', `<sip:a@127.0.0.1>;tag=${x.fromTag}`],
      ['To', `<sip:b@127.0.0.1>${x.toTag ? `;tag=${x.toTag}` : ''}`],
      ['Call-ID', x.callId],
      ['CSeq', `${x.seq} ${x.method}`],
    ]),
    body: '',
  };
}

function harness() {
  const scheduler = new ManualScheduler();
  const sent: SipMessage[] = [];
  const requests: [SipRequest, ServerTransaction | undefined][] = [];
  const layer = new TransactionLayer({ t1: 500, t2: 4000, t4: 5000, timerD: 32000 }, scheduler, (m) => sent.push(m), {
    onRequest: (r, tx) => requests.push([r, tx]),
    onStrayResponse: () => undefined,
  });
  return { sent, requests, layer };
}

describe('RFC 2543 server transaction matching (§17.2.3)', () => {
  it('tells apart two INVITEs sharing a cookie-less branch, and absorbs a true retransmission', () => {
    const h = harness();
    h.layer.receiveRequest(req(), UDP);
    h.requests[0][1]!.respond(createResponse(h.requests[0][0], 100));
    h.layer.receiveRequest(req(), UDP); // retransmission: the 100 again, nothing new for the TU
    expect(h.requests).toHaveLength(1);
    expect(h.sent.map((m) => m.type === 'response' && m.status)).toEqual([100, 100]);
    h.layer.receiveRequest(req({ callId: 'another-call' }), UDP);
    expect(h.requests).toHaveLength(2);
  });

  it('matches requests whose Via has no branch at all', () => {
    const h = harness();
    h.layer.receiveRequest(req({ via: 'SIP/2.0/UDP 127.0.0.1:5071;rport' }), UDP);
    h.layer.receiveRequest(req({ via: 'SIP/2.0/UDP 127.0.0.1:5071;rport' }), UDP);
    h.layer.receiveRequest(req({ via: 'SIP/2.0/UDP 127.0.0.1:5071;rport', seq: 2 }), UDP);
    expect(h.requests).toHaveLength(2);
  });

  it('the ACK to a non-2xx (our To tag) is absorbed by the INVITE transaction, a CANCEL finds it', () => {
    const h = harness();
    h.layer.receiveRequest(req({ via: 'SIP/2.0/UDP 127.0.0.1:5071;rport' }), UDP);
    const [invite, tx] = h.requests[0];
    expect(h.layer.findInviteServer(req({ method: 'CANCEL', via: 'SIP/2.0/UDP 127.0.0.1:5071;rport=5071' }))).toBe(tx);
    tx!.respond(createResponse(invite, 486, { toTag: 'ours' }));
    h.layer.receiveRequest(req({ method: 'ACK', toTag: 'ours', via: 'SIP/2.0/UDP 127.0.0.1:5071;rport' }), UDP);
    expect(h.requests).toHaveLength(1);
    expect(tx!.state).toBe('confirmed');
  });

  it('property: one differing field of Request-URI, From tag, To tag (non-INVITE), Call-ID, CSeq or Via makes a new transaction', () => {
    const change = fc.constantFrom<[string, Partial<Fields>]>(
      ['uri', { uri: 'sip:c@127.0.0.1:5070' }],
      ['from tag', { fromTag: 'fb' }],
      ['to tag', { toTag: 'other' }],
      ['call-id', { callId: 'call-other' }],
      ['cseq', { seq: 9 }],
      ['via', { via: 'SIP/2.0/UDP 127.0.0.1:5072;branch=1' }],
    );
    fc.assert(
      fc.property(fc.constantFrom('OPTIONS', 'BYE', 'INFO'), fc.constantFrom('1', 'abc', ''), change, (method, branch, [, diff]) => {
        const h = harness();
        const via = `SIP/2.0/UDP 127.0.0.1:5071${branch ? `;branch=${branch}` : ''}`;
        const base: Partial<Fields> = { method, via, toTag: 'mine' };
        h.layer.receiveRequest(req(base), UDP);
        h.layer.receiveRequest(req(base), UDP);
        h.layer.receiveRequest(req({ ...base, ...diff, via: diff.via ? diff.via.replace(';branch=1', branch ? `;branch=${branch}` : '') : via }), UDP);
        return h.requests.length === 2;
      }),
    );
  });
});
