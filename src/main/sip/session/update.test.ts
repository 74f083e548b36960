// RFC 3311 on loopback with a raw UAC: UPDATE without a body answered 200 in the early and the
// confirmed dialog, an offer answered through the re-INVITE hook in the 200, 500 with
// Retry-After while the hook still decides on another offer.
import { afterEach, describe, expect, it } from 'vitest';
import { nextIncoming, offer, uaPool } from '../test-support';
import type { ReinviteDecision, SipSession } from '.';
import { RAW_SDP, RawPeer, rawRequest } from './raw-peer';

const { ua, closeAll } = uaPool();
const peers: RawPeer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await closeAll();
});

async function callFromRaw(callId: string): Promise<{ raw: RawPeer; port: number; s: SipSession; update: (cseq: number, body?: string) => void }> {
  const bob = await ua('bob');
  const port = bob.localAddress('UDP')!.port;
  const raw = await RawPeer.open();
  peers.push(raw);
  const incoming = nextIncoming(bob);
  raw.send(port, rawRequest('INVITE', port, raw.port, { callId, cseq: 1, branch: `${callId}i`, extra: ['Content-Type: application/sdp'] }), RAW_SDP);
  const s = await incoming;
  const update = (cseq: number, body?: string): void =>
    raw.send(port, rawRequest('UPDATE', port, raw.port, { callId, cseq, branch: `${callId}u${cseq}`, toTag: s.dialog?.localTag, extra: body ? ['Content-Type: application/sdp'] : [] }), body);
  return { raw, port, s, update };
}

describe('UPDATE received (RFC 3311)', () => {
  it('answers an UPDATE without a body with 200 in the early dialog, then an offer in the confirmed one', async () => {
    const { raw, port, s, update } = await callFromRaw('up1');
    s.progress(180);
    update(2);
    await raw.until(() => raw.responses(200, 'UPDATE').length === 1);
    expect(raw.responses(200, 'UPDATE')[0].headers.get('allow')).toContain('UPDATE');
    // §5.2: an offer before the early dialog's offer/answer is done waits: 500 with Retry-After.
    update(3, RAW_SDP);
    await raw.until(() => raw.responses(500, 'UPDATE').length === 1);
    expect(raw.responses(500, 'UPDATE')[0].headers.get('retry-after')).toMatch(/^\d+$/);
    s.accept(offer('answer'));
    await raw.until(() => raw.responses(200, 'INVITE').length > 0);
    raw.send(port, rawRequest('ACK', port, raw.port, { callId: 'up1', cseq: 1, branch: 'up1a', toTag: s.dialog?.localTag }));
    const offers: string[] = [];
    s.onReinvite = (o) => {
      offers.push(o.body);
      return { answer: offer('updated') };
    };
    update(4, RAW_SDP.replace('s=raw', 's=moved'));
    await raw.until(() => raw.responses(200, 'UPDATE').length === 2);
    expect(offers[0]).toContain('s=moved');
    expect(raw.responses(200, 'UPDATE')[1].body).toContain('s=updated');
    expect(s.state).toBe('established');
  });

  it('answers 500 with Retry-After to an offer while the hook decides on another', async () => {
    const { raw, port, s, update } = await callFromRaw('up2');
    s.accept(offer('answer'));
    raw.send(port, rawRequest('ACK', port, raw.port, { callId: 'up2', cseq: 1, branch: 'up2a', toTag: s.dialog?.localTag }));
    let decide: (d: ReinviteDecision) => void = () => undefined;
    s.onReinvite = () => new Promise((r) => (decide = r));
    update(2, RAW_SDP);
    await raw.fence(port); // the first UPDATE is with the hook
    update(3, RAW_SDP);
    await raw.until(() => raw.responses(500, 'UPDATE').length === 1);
    decide({ reject: 488, reason: 'Not Acceptable Here' });
    await raw.until(() => raw.responses(488, 'UPDATE').length === 1);
    expect(s.state).toBe('established');
  });

  it('refuses a refresh asking for less than 90 s with 422 and Min-SE, and the call stays up (RFC 4028 §8.1)', async () => {
    const { raw, port, s } = await callFromRaw('up3');
    s.accept(offer('answer'));
    raw.send(port, rawRequest('ACK', port, raw.port, { callId: 'up3', cseq: 1, branch: 'up3a', toTag: s.dialog?.localTag }));
    raw.send(port, rawRequest('UPDATE', port, raw.port, { callId: 'up3', cseq: 2, branch: 'up3u', toTag: s.dialog?.localTag, extra: ['Supported: timer', 'Session-Expires: 30;refresher=uac'] }));
    await raw.until(() => raw.responses(422, 'UPDATE').length === 1);
    expect(raw.responses(422, 'UPDATE')[0].headers.get('min-se')).toBe('90');
    expect(s.state).toBe('established');
  });
});
