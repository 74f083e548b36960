// Issue 20: both ends hang up at once (RFC 5407, BYE glare). Our BYE ends our session at once
// (RFC 3261 §15.1.1), so the far end's BYE that crossed it used to find no dialog and get 481;
// linphonec 5.1 took that 481 as a failed hang-up and crashed on a call it had already freed.
// While our BYE's transaction can live (64·T1), a BYE on that dialog gets 200; after, 481 (§12.2.2).
import { afterEach, describe, expect, it } from 'vitest';
import { FAST, uaPool } from '../test-support';
import { RawPeer, answeringBobAndRawPeer } from './test-support';

const { ua, closeAll } = uaPool();
afterEach(closeAll);

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';

for (const protocol of ['UDP', 'TCP'] as const) {
  describe(`BYE glare over ${protocol}`, () => {
    it('a BYE crossing ours gets 200; on a dialog never ours, or once our BYE is long gone, 481', async () => {
      const { calls, peer } = await answeringBobAndRawPeer(ua, protocol);
      const callId = `glare-${protocol}@127.0.0.1`;
      const inDialog = (method: string, branch: string, cseq: number, toTag?: string): string[] =>
        peer
          .request(method, branch, callId, cseq)
          .map((l) => (l.startsWith('From:') ? 'From: <sip:raw@127.0.0.1>;tag=A' : l.startsWith('To:') && toTag ? `To: <sip:ua@127.0.0.1>;tag=${toTag}` : l));
      const first = RawPeer.branch();
      const invite = inDialog('INVITE', first, 5).filter((l) => !l.startsWith('Content-Length'));
      peer.send([...invite, `Contact: <sip:raw@127.0.0.1:${peer.port}>`, 'Content-Type: application/sdp', `Content-Length: ${SDP.length}`], SDP);
      const ok = await peer.response(first);
      expect(ok?.status).toBe(200);
      const toTag = /;tag=([^;\s]+)/.exec(ok?.headers.get('to') ?? '')?.[1] ?? '';
      peer.send(inDialog('ACK', RawPeer.branch(), 5, toTag));
      await expect.poll(() => calls[0]?.state).toBe('established');

      // Bob hangs up; the raw peer has not answered his BYE when its own arrives.
      calls[0].bye();
      const crossing = RawPeer.branch();
      peer.send(inDialog('BYE', crossing, 6, toTag));
      expect((await peer.response(crossing))?.status, 'BYE crossing ours').toBe(200);

      const stranger = RawPeer.branch();
      peer.send(inDialog('BYE', stranger, 7, 'not-bobs-tag'));
      expect((await peer.response(stranger))?.status, 'BYE on a dialog that never was').toBe(481);

      // Timer F (64·T1) after our BYE, its transaction is over: the dialog is gone for good.
      await new Promise((r) => setTimeout(r, 64 * (FAST?.t1 ?? 20) + 200));
      const late = RawPeer.branch();
      peer.send(inDialog('BYE', late, 8, toTag));
      expect((await peer.response(late))?.status, 'BYE long after ours').toBe(481);
      peer.close();
    });
  });
}
