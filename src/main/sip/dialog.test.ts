import { describe, expect, it } from 'vitest';
import { Dialog } from './dialog';
import { SipHeaders } from './headers';
import type { SipRequest, SipResponse } from './message';

const invite: SipRequest = {
  type: 'request',
  method: 'INVITE',
  uri: 'sip:bob@biloxi.example.com',
  headers: SipHeaders.from([
    ['Via', 'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8'],
    ['From', 'Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl'],
    ['To', 'Bob <sip:bob@biloxi.example.com>'],
    ['Call-ID', '3848276298220188511@atlanta.example.com'],
    ['CSeq', '1 INVITE'],
    ['Contact', '<sip:alice@client.atlanta.example.com;transport=tcp>'],
    ['Record-Route', '<sip:ss2.biloxi.example.com;lr>, <sip:ss1.atlanta.example.com;lr>'],
  ]),
  body: '',
};

const ok = (recordRoute: string[]): SipResponse => ({
  type: 'response',
  status: 200,
  reason: 'OK',
  headers: SipHeaders.from([
    ['From', 'Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl'],
    ['To', 'Bob <sip:bob@biloxi.example.com>;tag=8321234356'],
    ['Call-ID', '3848276298220188511@atlanta.example.com'],
    ['CSeq', '1 INVITE'],
    ['Contact', '<sip:bob@client.biloxi.example.com;transport=tcp>'],
    ...recordRoute.map((r) => ['Record-Route', r] as [string, string]),
  ]),
  body: '',
});

describe('dialogs (RFC 3261 §12)', () => {
  it('UAC: route set is the reversed Record-Route; loose routing keeps the remote target as Request-URI (§12.2.1.1)', () => {
    const d = Dialog.asUac(invite, ok(['<sip:ss2.biloxi.example.com;lr>', '<sip:ss1.atlanta.example.com;lr>']), 'TCP');
    expect(d.id).toBe('3848276298220188511@atlanta.example.com|9fxced76sl|8321234356');
    expect(d.routeSet).toEqual(['<sip:ss1.atlanta.example.com;lr>', '<sip:ss2.biloxi.example.com;lr>']);
    expect(d.nextHop).toBe('sip:ss1.atlanta.example.com;lr');
    const bye = d.createRequest('BYE');
    expect(bye.uri).toBe('sip:bob@client.biloxi.example.com;transport=tcp');
    expect(bye.headers.getAll('route')).toEqual(d.routeSet);
    expect(bye.headers.get('cseq')).toBe('2 BYE');
    expect(bye.headers.get('to')).toBe('"Bob" <sip:bob@biloxi.example.com>;tag=8321234356');
    expect(d.createRequest('ACK', 1).headers.get('cseq')).toBe('1 ACK');
  });

  it('UAS: route set is Record-Route in order, remote CSeq remembered', () => {
    const d = Dialog.asUas(invite, 'uas-tag', 'TCP');
    expect(d.routeSet).toEqual(['<sip:ss2.biloxi.example.com;lr>', '<sip:ss1.atlanta.example.com;lr>']);
    expect(d.remoteSeq).toBe(1);
    expect(d.remoteTarget).toBe('sip:alice@client.atlanta.example.com;transport=tcp');
    expect(d.createRequest('BYE').headers.get('from')).toBe('"Bob" <sip:bob@biloxi.example.com>;tag=uas-tag');
  });

  it('strict routing: the first route becomes the Request-URI and the remote target goes last (§12.2.1.1)', () => {
    const d = Dialog.asUac(invite, ok(['<sip:strict.example.com>']), 'UDP');
    const bye = d.createRequest('BYE');
    expect(bye.uri).toBe('sip:strict.example.com');
    expect(bye.headers.getAll('route')).toEqual(['<sip:bob@client.biloxi.example.com;transport=tcp>']);
  });

  it('a target refresh moves the remote target', () => {
    const d = Dialog.asUac(invite, ok([]), 'UDP');
    const reinvite = ok([]);
    reinvite.headers.set('Contact', '<sip:bob@192.0.2.4:5070>');
    d.refreshTarget(reinvite);
    expect(d.createRequest('INVITE').uri).toBe('sip:bob@192.0.2.4:5070');
  });
});
