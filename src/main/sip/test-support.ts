// User agents on 127.0.0.1 with fast timers for the session and UA tests (session/, ua/), and
// the few steps those tests share.
import { afterEach } from 'vitest';
import type { SipBody, SipSession } from './session';
import { rawPeerPool, type RawPeer } from './session/raw-peer';
import { SipUa } from './ua';
import type { SipUaOptions } from './ua';

export const FAST: SipUaOptions['timers'] = { t1: 20, t2: 160, t4: 200, timerD: 200 };
export const offer = (tag: string): SipBody => ({ contentType: 'application/sdp', body: `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=${tag}\r\n` });
export const target = (u: SipUa, user = 'bob'): string => `sip:${user}@127.0.0.1:${u.localAddress('UDP')!.port}`;
export const nextIncoming = (u: SipUa): Promise<SipSession> => new Promise((r) => u.once('incoming', r));

/** Starts user agents and closes them all (call `closeAll` in afterEach). */
export function uaPool(): { ua: (user: string, extra?: Partial<SipUaOptions>) => Promise<SipUa>; closeAll: () => Promise<void> } {
  const uas: SipUa[] = [];
  return {
    ua: async (user, extra = {}) => {
      const u = await SipUa.start({ user, host: '127.0.0.1', timers: FAST, glare: { owner: [40, 60], other: [0, 20] }, ...extra });
      uas.push(u);
      return u;
    },
    closeAll: async () => {
      await Promise.all(uas.splice(0).map((u) => u.close()));
    },
  };
}

/**
 * For the tests that drive Vouch against a hand-driven peer (PRACK, session timers): user agents
 * (uaPool) and raw peers (rawPeerPool), all closed after each test of the file.
 */
export function uasAndRawPeers(): { ua: ReturnType<typeof uaPool>['ua']; rawPeer: () => Promise<RawPeer> } {
  const { ua, closeAll } = uaPool();
  const { rawPeer, closePeers } = rawPeerPool();
  afterEach(async () => {
    closePeers();
    await closeAll();
  });
  return { ua, rawPeer };
}

/** Alice calls Bob, Bob answers: both sides of an established call. */
export async function established(ua: (user: string) => Promise<SipUa>): Promise<{ alice: SipUa; bob: SipUa; out: SipSession; inc: SipSession }> {
  const alice = await ua('alice');
  const bob = await ua('bob');
  const incoming = nextIncoming(bob);
  const out = alice.invite(target(bob), offer('offer'));
  const inc = await incoming;
  inc.accept(offer('answer'));
  await out.answered;
  return { alice, bob, out, inc };
}
