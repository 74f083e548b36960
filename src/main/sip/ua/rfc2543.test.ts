// RFC 2543 peers on the wire over UDP and TCP (RFC 3261 §17.2.3): requests whose Via branch lacks
// the magic cookie, or has none, are still told apart and matched (CANCEL to its INVITE, §9.2).
import { afterEach, describe, expect, it } from 'vitest';
import { callIdOf, cseqOf } from '../message';
import { uaPool } from '../test-support';
import { RawPeer } from './test-support';

const { ua, closeAll } = uaPool();
afterEach(closeAll);

for (const protocol of ['UDP', 'TCP'] as const) {
  describe(`RFC 2543 peers over ${protocol}`, () => {
    it('answers two OPTIONS sharing a cookie-less branch, and CANCELs a branch-less INVITE', async () => {
      const bob = await ua('bob', { tcp: { port: 0 } });
      let incoming = 0;
      bob.on('incoming', () => incoming++);
      const peer = await RawPeer.open(protocol, bob.localAddress(protocol)!.port);
      const answered = (callId: string, method: string, status: number) =>
        peer.responseWhere((r) => callIdOf(r) === callId && cseqOf(r).method === method && r.status === status);
      peer.send(peer.request('OPTIONS', '2543old', 'old-1@127.0.0.1'));
      peer.send(peer.request('OPTIONS', '2543old', 'old-2@127.0.0.1'));
      expect(await answered('old-1@127.0.0.1', 'OPTIONS', 200)).toBeDefined();
      expect(await answered('old-2@127.0.0.1', 'OPTIONS', 200)).toBeDefined();
      expect(await peer.alive()).toBe(true);

      const noBranch = (lines: string[]): string[] => lines.map((l) => (l.startsWith('Via:') ? l.replace(/;branch=[^;]*/, '') : l));
      peer.send(noBranch(peer.request('INVITE', 'x', 'old-call@127.0.0.1')));
      expect(await peer.responseWhere((r) => callIdOf(r) === 'old-call@127.0.0.1' && r.status === 100)).toBeDefined();
      peer.send(noBranch(peer.request('INVITE', 'x', 'old-call@127.0.0.1'))); // a retransmission
      peer.send(noBranch(peer.request('CANCEL', 'x', 'old-call@127.0.0.1')));
      expect(await answered('old-call@127.0.0.1', 'CANCEL', 200)).toBeDefined();
      const terminated = await answered('old-call@127.0.0.1', 'INVITE', 487);
      expect(terminated).toBeDefined();
      const toTag = /;tag=([^;\s]+)/.exec(terminated?.headers.get('to') ?? '')?.[1];
      peer.send(noBranch(peer.request('ACK', 'x', 'old-call@127.0.0.1')).map((l) => (l.startsWith('To:') ? `${l};tag=${toTag}` : l)));
      expect(incoming).toBe(1);
      expect(await peer.alive()).toBe(true);
      peer.close();
    });
  });
}
