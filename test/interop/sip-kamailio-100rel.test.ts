// RFC 3262 and RFC 4028 through Kamailio (record-routing proxy with digest auth): two Vouch UAs
// on one manual clock; the callee's 183 goes reliably and the caller's PRACK follows the early
// dialog's route; the 200 settles Session-Expires 1800 with the caller as refresher, whose
// UPDATE at 900 s (clock advanced) crosses the proxy and is answered; the call outlives 1800 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipUa } from '../../src/main/sip';
import type { SipMessage, SipSession } from '../../src/main/sip';
import { cseqOf } from '../../src/main/sip/message';
import { ManualScheduler } from '../../src/main/sip/timers';
import { Kamailio } from './kamailio/kamailio';
import { findPeer } from './peers';
import { literalAnswer, literalOffer } from './sipp/sdp-literal';
import { peerPort } from './ports';

const kamailio = findPeer('kamailio', 'kamailio kamailio-tls-modules');
const PASSWORD = 'correct horse';

const until = async (done: () => boolean, ms = 5000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/**
 * Moves the manual clock in 10 s steps with a little real time between them, so the keepalives
 * and re-REGISTERs due meanwhile get their answers rather than time out in one jump.
 */
async function advance(clock: ManualScheduler, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 10_000) {
    clock.advance(Math.min(10_000, left));
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.skipIf(!kamailio)('100rel and session timers through Kamailio', () => {
  let k: Kamailio;
  let port = 0;
  const uas: SipUa[] = [];

  beforeAll(async () => {
    port = await peerPort();
    k = await Kamailio.start({ bin: kamailio!, udpPort: port, tcpPort: await peerPort(), password: PASSWORD });
  });
  afterAll(async () => {
    await Promise.all(uas.map((u) => u.close()));
    await k?.stop();
  });

  it('PRACKs a reliable 183 along the route set and refreshes by UPDATE at half of Session-Expires', async () => {
    const clock = new ManualScheduler();
    const seen: string[] = [];
    const label = (m: SipMessage): string => (m.type === 'request' ? m.method : `${m.status} ${cseqOf(m).method}`);
    const start = async (user: string): Promise<SipUa> => {
      const u = await SipUa.start({
        user,
        host: '127.0.0.1',
        domain: '127.0.0.1',
        registrar: `sip:127.0.0.1:${port}`,
        password: PASSWORD,
        scheduler: clock,
        trace: (dir, m) => dir === 'in' && seen.push(`${user} ${label(m)}`),
      });
      uas.push(u);
      return u;
    };
    const alice = await start('alice100rel');
    const bob = await start('bob100rel');
    const incoming = new Promise<SipSession>((r) => bob.once('incoming', r));
    const out = alice.invite(`sip:bob100rel@127.0.0.1:${port}`, literalOffer());
    const inc = await incoming;
    const pracked = new Promise((r) => inc.once('prack', r));
    inc.progress(183, literalAnswer(inc.remoteBody!));
    await pracked;
    await until(() => seen.includes('alice100rel 200 PRACK'));
    inc.accept(literalAnswer(inc.remoteBody!));
    await out.answered;
    expect(out.dialog?.routeSet.length).toBe(1); // Kamailio's Record-Route
    await until(() => seen.includes('bob100rel ACK'));
    await advance(clock, 900_000);
    await until(() => seen.includes('alice100rel 200 UPDATE'));
    expect(seen).toContain('bob100rel UPDATE');
    await advance(clock, 900_000);
    await until(() => seen.filter((s) => s === 'alice100rel 200 UPDATE').length === 2);
    expect(inc.state).toBe('established');
    expect(out.state).toBe('established');
    out.bye();
    expect(await inc.ended).toMatchObject({ by: 'remote', reason: 'BYE' });
  }, 20000);
});
