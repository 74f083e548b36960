// Transfer signalling between user agents on UDP loopback: REFER accepted with 202 and the
// implicit subscription's sipfrag NOTIFYs (RFC 3515 §2.4), and an INVITE with Replaces matched
// to the dialog it names or refused (RFC 3891 §3).
import { afterEach, describe, expect, it } from 'vitest';
import { formatReferTo, type ReferTarget } from '../replaces';
import { established as establishedWith, nextIncoming, offer, target, uaPool } from '../test-support';
import type { ReferProgress } from './refer';

const { ua, closeAll } = uaPool();
afterEach(closeAll);

function collectProgress(s: { on(e: 'referProgress', l: (p: ReferProgress) => void): unknown }): { seen: ReferProgress[]; final: Promise<ReferProgress> } {
  const seen: ReferProgress[] = [];
  const final = new Promise<ReferProgress>((resolve) =>
    s.on('referProgress', (p) => {
      seen.push(p);
      if (p.final) resolve(p);
    }),
  );
  return { seen, final };
}

describe('REFER (RFC 3515)', () => {
  it('blind transfer: 202, the transferee calls the target, NOTIFY 100 Trying then 200 OK', async () => {
    const { alice, out: aliceSide, inc: bobSide } = await establishedWith(ua);
    const carol = await ua('carol');
    const asked = new Promise<ReferTarget>((r) => aliceSide.once('refer', r));
    const progress = collectProgress(bobSide);
    await bobSide.refer(formatReferTo(target(carol, 'carol')));
    const { target: to, replaces } = await asked;
    expect(to).toBe(target(carol, 'carol'));
    expect(replaces).toBeUndefined();
    // The transferee's new call is an ordinary one; its outcome goes back as NOTIFY.
    const carolIncoming = nextIncoming(carol);
    const aliceToCarol = alice.invite(to, offer('a'));
    (await carolIncoming).accept(offer('c'));
    await aliceToCarol.answered;
    aliceSide.notifyRefer(200, 'OK');
    expect(await progress.final).toEqual({ status: 200, reason: 'OK', final: true });
    expect(progress.seen.map((p) => p.status)).toEqual([100, 200]);
  });

  it('refuses a Refer-To that is not a SIP URI or carries a broken Replaces (400), before anyone hears of it', async () => {
    const { out, inc } = await establishedWith(ua);
    let asked = 0;
    out.on('refer', () => asked++);
    await expect(inc.refer('<tel:+15550100>')).rejects.toMatchObject({ status: 400 });
    await expect(inc.refer('<sip:carol@127.0.0.1?Replaces=abc>')).rejects.toMatchObject({ status: 400 });
    await expect(inc.refer('<sip:carol@127.0.0.1')).rejects.toMatchObject({ status: 400 });
    expect(asked).toBe(0);
    // The dialog is still fine: a good REFER after them is taken.
    await inc.refer('<sip:carol@127.0.0.1:9>');
    expect(asked).toBe(1);
  });

  it('declines a REFER nobody takes (603)', async () => {
    const { inc } = await establishedWith(ua);
    await expect(inc.refer('<sip:carol@127.0.0.1:9>')).rejects.toMatchObject({ status: 603 });
  });
});

describe('Replaces (RFC 3891 §3)', () => {
  it('an INVITE naming our confirmed dialog takes it over, even with call waiting off', async () => {
    // Bob talks to Carol; Alice (told by Bob) calls Carol with Replaces naming that dialog.
    const bob = await ua('bob');
    const carol = await ua('carol');
    const alice = await ua('alice');
    const carolIncoming = nextIncoming(carol);
    const bobToCarol = bob.invite(target(carol, 'carol'), offer('b'));
    const carolSide = await carolIncoming;
    carolSide.accept(offer('c'));
    await bobToCarol.answered;
    const seen = bobToCarol.dialogAsSeenByPeer!;
    const replaces = `${seen.callId};to-tag=${seen.toTag};from-tag=${seen.fromTag}`;
    const next = nextIncoming(carol);
    const aliceToCarol = alice.invite(target(carol, 'carol'), offer('a'), [['Replaces', replaces]]);
    const replacing = await next;
    expect(replacing.replaces).toBe(carolSide);
    replacing.accept(offer('c2'));
    await aliceToCarol.answered;
    carolSide.bye();
    expect(await bobToCarol.ended).toMatchObject({ by: 'remote', reason: 'BYE' });
  });

  it('481 for no such dialog, 486 for early-only on a confirmed one, 400 for a malformed one', async () => {
    const { bob, out } = await establishedWith(ua);
    const carol = await ua('carol');
    const seen = out.dialogAsSeenByPeer!;
    const call = (value: string) => carol.invite(target(bob), offer('x'), [['Replaces', value]]).answered;
    await expect(call(`nope@x;to-tag=${seen.toTag};from-tag=${seen.fromTag}`)).rejects.toMatchObject({ status: 481 });
    await expect(call(`${seen.callId};to-tag=${seen.toTag};from-tag=${seen.fromTag};early-only`)).rejects.toMatchObject({ status: 486 });
    await expect(call(`${seen.callId};to-tag=${seen.toTag}`)).rejects.toMatchObject({ status: 400 });
  });
});
