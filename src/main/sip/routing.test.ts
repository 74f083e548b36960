// The outbound proxy as users write it (--proxy, settings), the loose Route it becomes, and the
// failover rule of RFC 3263 §4.3.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SipParseError } from './errors';
import type { SipRequest } from './message';
import { SipHeaders } from './headers';
import { createResponse } from './response';
import { isFailover, parseProxy, routeHeader, sameServer } from './routing';
import { localResponse } from './transaction-client';
import { parseUri } from './uri';

describe('outbound proxy setting', () => {
  it('takes host, host:port, IPv6 references, a transport, or a whole URI, and adds lr', () => {
    expect(parseProxy('pbx.example.org')).toBe('sip:pbx.example.org;lr');
    expect(parseProxy(' 127.0.0.1:5070;transport=TCP ')).toBe('sip:127.0.0.1:5070;transport=TCP;lr');
    expect(parseProxy('[::1]:5080')).toBe('sip:[::1]:5080;lr');
    expect(parseProxy('sips:proxy.example.org;lr')).toBe('sips:proxy.example.org;lr');
  });

  it('refuses what is not a server: users, unknown transports, tel:, junk', () => {
    for (const bad of ['', 'bob@pbx.example.org', 'pbx.example.org;transport=sctp', 'tel:+123', 'pbx example', 'sip:pbx?x=1', 'x'.repeat(400), ';transport']) {
      expect(parseProxy(bad)).toBeInstanceOf(SipParseError);
    }
  });

  it('property: never throws; whatever it accepts is a SIP URI with lr that names the same server again', () => {
    const text = fc.string({ unit: fc.constantFrom(...'abc.-:;=[]@19sip_tcpudlr '.split('')), maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ maxLength: 60 })), (t) => {
        const r = parseProxy(t);
        if (r instanceof SipParseError) return;
        const u = parseUri(r);
        expect(u).not.toBeInstanceOf(SipParseError);
        expect((u as Exclude<typeof u, SipParseError>).params.has('lr')).toBe(true);
        expect(parseProxy(r)).toBe(r);
        expect(sameServer(r, r)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('routeHeader adds ;lr once', () => {
    expect(routeHeader('sip:p.example;lr')).toBe('<sip:p.example;lr>');
    expect(routeHeader('sip:p.example')).toBe('<sip:p.example;lr>');
  });

  it('sameServer: transport and port matter, lr does not', () => {
    expect(sameServer('sip:p.example:5060;lr', 'sip:P.example:5060')).toBe(true);
    expect(sameServer('sip:p.example;transport=tcp', 'sip:p.example')).toBe(false);
    expect(sameServer('sip:p.example:5070', 'sip:p.example')).toBe(false);
  });
});

describe('RFC 3263 §4.3 failover rule', () => {
  const headers = new SipHeaders();
  for (const [k, v] of [['Via', 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx'], ['CSeq', '1 INVITE'], ['Call-ID', 'c'], ['From', '<sip:a@b>;tag=1'], ['To', '<sip:bob@example.org>']]) headers.add(k, v);
  const req: SipRequest = { type: 'request', method: 'INVITE', uri: 'sip:bob@example.org', headers, body: '' };
  it('a local timeout or any 503 fails over; a 408 a server sent, or other errors, do not', () => {
    expect(isFailover(localResponse(req, 408, 'Request Timeout (Timer B)'))).toBe(true);
    expect(isFailover(createResponse(req, 503))).toBe(true);
    expect(isFailover(createResponse(req, 408))).toBe(false);
    expect(isFailover(createResponse(req, 404))).toBe(false);
    expect(isFailover(createResponse(req, 486))).toBe(false);
  });
});
