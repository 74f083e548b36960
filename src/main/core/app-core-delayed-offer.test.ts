// Delayed offer (RFC 3261 §13.2.1, RFC 3264 §2): an INVITE without SDP rings, Vouch offers in
// its 200 (ZRTP, as for its own calls) and takes the answer from the ACK; media then flows to the
// address the answer gave. An ACK without an answer ends the call with a BYE. A re-INVITE
// without an offer (§14.2) is answered the same way. A bare UAC on 127.0.0.1 over UDP plays the caller.
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMessage } from '../sip';
import type { SipMessage, SipResponse } from '../sip';
import { parseSdp } from '../sdp';
import { AppCore } from './app-core';
import { boundUdp, incomingInvite, loopbackCore, type Cleanup } from './test-support';

const cleanup: Cleanup = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const bound = (): Promise<Socket> => boundUdp(cleanup);

const core = (): Promise<AppCore> => loopbackCore(cleanup, 'vouch-delayed-offer-');

/** A caller that sends an INVITE without a body and hands every SIP message it gets to `seen`. */
async function delayedOfferCall(c: AppCore, tag: string): Promise<{ uac: Socket; me: string; sipPort: number; next: (pred: (m: SipMessage) => boolean) => Promise<SipMessage> }> {
  const sipPort = c.snapshot().listening!.udp!;
  const uac = await bound();
  const me = `127.0.0.1:${uac.address().port}`;
  const got: SipMessage[] = [];
  const waiters: { pred: (m: SipMessage) => boolean; resolve: (m: SipMessage) => void }[] = [];
  uac.on('message', (data) => {
    const p = parseMessage(data);
    if (!p.ok) return;
    got.push(p.message);
    for (const w of waiters.splice(0)) {
      if (w.pred(p.message)) w.resolve(p.message);
      else waiters.push(w);
    }
  });
  const next = (pred: (m: SipMessage) => boolean) =>
    new Promise<SipMessage>((resolve) => {
      const m = got.find(pred);
      if (m) resolve(m);
      else waiters.push({ pred, resolve });
    });
  uac.send(incomingInvite(sipPort, me, tag, [], ''), sipPort, '127.0.0.1');
  return { uac, me, sipPort, next };
}

function ack(ok: SipResponse, me: string, sipPort: number, tag: string, body: string): string {
  return [
    `ACK sip:vouch@127.0.0.1:${sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP ${me};branch=z9hG4bK-${tag}-ack;rport`,
    'Max-Forwards: 70',
    `From: ${ok.headers.get('from')}`,
    `To: ${ok.headers.get('to')}`,
    `Call-ID: ${tag}`,
    'CSeq: 1 ACK',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

const isStatus = (status: number) => (m: SipMessage) => m.type === 'response' && m.status === status;

/** An in-dialog request from the caller (To with Vouch's tag from `ok`). */
function inDialog(method: string, seq: number, ok: SipResponse, me: string, sipPort: number, tag: string, body = ''): string {
  return [
    `${method} sip:vouch@127.0.0.1:${sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP ${me};branch=z9hG4bK-${tag}-${seq}-${method};rport`,
    'Max-Forwards: 70',
    `From: ${ok.headers.get('from')}`,
    `To: ${ok.headers.get('to')}`,
    `Call-ID: ${tag}`,
    `CSeq: ${seq} ${method}`,
    `Contact: <sip:carol@${me}>`,
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

const audioSdp = (port: number, version: number, direction = 'sendrecv') =>
  ['v=0', `o=carol 2 ${version} IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', `a=${direction}`, ''].join('\r\n');

describe('delayed offer (INVITE without SDP)', () => {
  it('rings, offers ZRTP in the 200, takes the answer from the ACK, and media goes to the answer', async () => {
    const c = await core();
    const call = await delayedOfferCall(c, 'delayed-ok');
    await call.next(isStatus(180));
    const [info] = c.snapshot().calls;
    await c.invoke('answer', { callId: info.callId });
    const ok = (await call.next(isStatus(200))) as SipResponse;
    expect(ok.headers.get('content-type')).toBe('application/sdp');
    const offer = parseSdp(ok.body);
    if (!offer.ok) throw new Error('the offer in the 200 does not parse');
    const audio = offer.value.media.find((m) => m.media === 'audio')!;
    expect(audio.port).toBeGreaterThan(0);
    expect(ok.body).toMatch(/a=zrtp-hash:/);
    expect(ok.body).toContain('c=IN IP4 127.0.0.1');
    // The answer: PCMU to our own media socket; ZRTP's Hello must reach it.
    const media = await bound();
    const hello = new Promise<Buffer>((resolve) => media.once('message', (d) => resolve(d)));
    const pt = audio.formats.includes('0') ? '0' : audio.formats[0];
    const answer = ['v=0', 'o=carol 2 2 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${media.address().port} RTP/AVP ${pt}`, `a=rtpmap:${pt} PCMU/8000`, 'a=sendrecv', ''].join('\r\n');
    call.uac.send(ack(ok, call.me, call.sipPort, 'delayed-ok', answer), call.sipPort, '127.0.0.1');
    const packet = await hello;
    // RFC 6189 §5: a ZRTP packet starts 0x10 and carries the magic cookie 'ZRTP' at byte 4.
    expect(packet.subarray(4, 8).toString('latin1')).toBe('ZRTP');
    expect(c.snapshot().calls[0].state).toBe('connected');
  }, 15_000);

  it('an ACK without the answer ends the call with a BYE', async () => {
    const c = await core();
    const call = await delayedOfferCall(c, 'delayed-noanswer');
    await call.next(isStatus(180));
    const [info] = c.snapshot().calls;
    await c.invoke('answer', { callId: info.callId });
    const ok = (await call.next(isStatus(200))) as SipResponse;
    call.uac.send(ack(ok, call.me, call.sipPort, 'delayed-noanswer', ''), call.sipPort, '127.0.0.1');
    const bye = await call.next((m) => m.type === 'request' && m.method === 'BYE');
    expect(bye.headers.get('call-id')).toBe('delayed-noanswer');
  }, 15_000);

  it('a re-INVITE without an offer gets our offer in the 200 and takes the answer from its ACK (§14.2)', async () => {
    const c = await core();
    const tag = 'empty-reinvite';
    const call = await delayedOfferCall(c, tag);
    await call.next(isStatus(180));
    await c.invoke('answer', { callId: c.snapshot().calls[0].callId });
    const ok = (await call.next(isStatus(200))) as SipResponse;
    const media = await bound();
    const send = (text: string) => call.uac.send(text, call.sipPort, '127.0.0.1');
    send(inDialog('ACK', 1, ok, call.me, call.sipPort, tag, audioSdp(media.address().port, 1)));
    // The re-INVITE without a body: the 200 carries the session as it is, as an offer.
    send(inDialog('INVITE', 2, ok, call.me, call.sipPort, tag));
    const reOk = (await call.next((m) => m.type === 'response' && m.status === 200 && m.headers.get('cseq') === '2 INVITE')) as SipResponse;
    const offer = parseSdp(reOk.body);
    expect(offer.ok && offer.value.media.map((m) => m.media)).toEqual(['audio']);
    expect(reOk.body).toMatch(/a=zrtp-hash:/);
    send(inDialog('ACK', 2, ok, call.me, call.sipPort, tag, audioSdp(media.address().port, 2)));
    // Negotiation is free again: the caller's next offer is answered, not refused as glare.
    send(inDialog('INVITE', 3, ok, call.me, call.sipPort, tag, audioSdp(media.address().port, 3, 'sendonly')));
    const third = await call.next((m) => m.type === 'response' && m.status >= 200 && m.headers.get('cseq') === '3 INVITE');
    expect(third.type === 'response' && third.status).toBe(200);
    expect(third.body).toContain('a=recvonly');
    expect(c.snapshot().calls[0].state).toBe('connected');
  }, 15_000);
});
