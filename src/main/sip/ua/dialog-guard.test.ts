// Issue 20 part A, dialogs on the wire over UDP and TCP: an INVITE reusing a live dialog's
// Call-ID outside it gets 482 (§8.2.2.2) and never a second call; an in-dialog request whose
// CSeq does not advance gets 500 (§12.2.2). An OPTIONS from the same source still gets 200.
import { afterEach, describe, expect, it } from 'vitest';
import type { SipSession } from '../session';
import { offer, uaPool } from '../test-support';
import { RawPeer, answeringBobAndRawPeer } from './test-support';

const { ua, closeAll } = uaPool();
afterEach(closeAll);

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';

for (const protocol of ['UDP', 'TCP'] as const) {
  describe(`dialog guards over ${protocol}`, () => {
    it('482 to an INVITE reusing the Call-ID, 500 to a CSeq that does not advance, one call only', async () => {
      const { calls, peer } = await answeringBobAndRawPeer(ua, protocol);
      const callId = `guard-${protocol}@127.0.0.1`;
      const invite = (branch: string, fromTag: string, cseq: number, toTag?: string): string[] => {
        const lines = peer.request('INVITE', branch, callId, cseq).map((l) =>
          l.startsWith('From:') ? `From: <sip:raw@127.0.0.1>;tag=${fromTag}` : l.startsWith('To:') && toTag ? `To: <sip:ua@127.0.0.1>;tag=${toTag}` : l,
        );
        return [...lines.filter((l) => !l.startsWith('Content-Length')), `Contact: <sip:raw@127.0.0.1:${peer.port}>`, 'Content-Type: application/sdp', `Content-Length: ${SDP.length}`];
      };
      const first = RawPeer.branch();
      peer.send(invite(first, 'A', 5), SDP);
      const ok = await peer.response(first);
      expect(ok?.status).toBe(200);
      const toTag = /;tag=([^;\s]+)/.exec(ok?.headers.get('to') ?? '')?.[1] ?? '';
      peer.send(
        peer.request('ACK', RawPeer.branch(), callId, 5).map((l) => (l.startsWith('From:') ? 'From: <sip:raw@127.0.0.1>;tag=A' : l.startsWith('To:') ? `To: <sip:ua@127.0.0.1>;tag=${toTag}` : l)),
      );

      const ask = async (lines: string[], branch: string): Promise<number | undefined> => {
        peer.send(lines, SDP);
        const status = (await peer.response(branch))?.status;
        expect(await peer.alive()).toBe(true);
        return status;
      };
      let b = RawPeer.branch();
      expect(await ask(invite(b, 'B', 1), b), 'another From tag').toBe(482);
      b = RawPeer.branch();
      expect(await ask(invite(b, 'A', 6), b), 'same From tag, no To tag').toBe(482);
      b = RawPeer.branch();
      expect(await ask(invite(b, 'A', 5, toTag), b), 're-INVITE with the same CSeq').toBe(500);
      b = RawPeer.branch();
      expect(await ask(invite(b, 'A', 4, toTag), b), 're-INVITE with a lower CSeq').toBe(500);
      expect(calls).toHaveLength(1);
      expect(calls[0].state).toBe('established');
      peer.close();
    });
  });
}

describe('a call from a non-SIP From URI (§20.20: any absoluteURI)', () => {
  it('is answered and ended like any other: 200, then the BYE names the urn: URI in its To', async () => {
    const bob = await ua('bob');
    const calls: SipSession[] = [];
    bob.on('incoming', (s: SipSession) => {
      calls.push(s);
      s.accept(offer('answer'));
    });
    const peer = await RawPeer.open('UDP', bob.localAddress('UDP')!.port);
    const urn = 'urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6';
    const branch = RawPeer.branch();
    const lines = peer.request('INVITE', branch, 'urn-call@127.0.0.1').map((l) => (l.startsWith('From:') ? `From: "U" <${urn}>;tag=U1` : l));
    peer.send([...lines.filter((l) => !l.startsWith('Content-Length')), `Contact: <sip:raw@127.0.0.1:${peer.port}>`, 'Content-Type: application/sdp', `Content-Length: ${SDP.length}`], SDP);
    const ok = await peer.response(branch);
    expect(ok?.status).toBe(200);
    expect(ok?.headers.get('from')).toContain(urn);
    expect(calls).toHaveLength(1);
    const byes: string[] = [];
    peer.onRequestText = (text) => byes.push(text);
    calls[0].bye();
    const deadline = Date.now() + 2000;
    while (byes.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(byes[0]).toMatch(/^BYE sip:raw@127\.0\.0\.1:\d+ SIP\/2\.0/);
    expect(byes[0]).toContain(`To: "U" <${urn}>;tag=U1`);
    peer.close();
  });
});
