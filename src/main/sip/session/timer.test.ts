// RFC 4028 on a manual clock: header parsers, Vouch ↔ Vouch refreshes by UPDATE at half the
// interval, a re-INVITE refresh when the peer does not allow UPDATE, the refresher chosen by the
// UAC, BYE when no refresh came, and 422 with Min-SE for a too-short interval.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cseqOf } from '../message';
import type { SipMessage } from '../message';
import { nextIncoming, offer, target, uasAndRawPeers } from '../test-support';
import { ManualScheduler } from '../timers';
import { RAW_PEER_TIMERS, RAW_SDP, rawRequest, rawResponse } from './raw-peer';
import { parseMinSe, parseSessionExpires } from './timer';

const { ua, rawPeer } = uasAndRawPeers();
const T = RAW_PEER_TIMERS;
const until = async (done: () => boolean): Promise<void> => {
  const deadline = Date.now() + 2000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('Session-Expires and Min-SE (RFC 4028 §4, §5)', () => {
  it('parses the RFC examples', () => {
    // §4: "Session-Expires: 4000;refresher=uac"; §5: "Min-SE: 3600".
    expect(parseSessionExpires('4000;refresher=uac')).toEqual({ seconds: 4000, refresher: 'uac' });
    expect(parseSessionExpires('1800')).toEqual({ seconds: 1800, refresher: undefined });
    expect(parseMinSe('3600')).toBe(3600);
  });
  it('refuses what the grammar does not allow, never throwing', () => {
    for (const bad of ['', '0', 'abc', '90;refresher=proxy', '90;;', '-5', '1e3']) expect(parseSessionExpires(bad)).toBeUndefined();
    fc.assert(
      fc.property(fc.string(), (s) => {
        const se = parseSessionExpires(s);
        const min = parseMinSe(s);
        return (se === undefined || (Number.isInteger(se.seconds) && se.seconds > 0)) && (min === undefined || Number.isInteger(min));
      }),
    );
  });
  it('reads back what it formats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999999999 }), fc.constantFrom('uac' as const, 'uas' as const), (n, r) => {
        expect(parseSessionExpires(`${n};refresher=${r};x=y`)).toEqual({ seconds: n, refresher: r });
        expect(parseSessionExpires(` ${n} ; Refresher=${r.toUpperCase()}`)).toEqual({ seconds: n, refresher: r });
      }),
    );
  });
});

describe('session timers between two Vouch user agents', () => {
  it.each(['UDP', 'TCP'] as const)('%s: the caller refreshes by UPDATE at half of 1800 s; the call outlives the interval', async (transport) => {
    const clock = new ManualScheduler();
    const inAlice: string[] = [];
    const inBob: string[] = [];
    const label = (m: SipMessage): string => (m.type === 'request' ? m.method : `${m.status} ${cseqOf(m).method}`);
    const tcp = transport === 'TCP' ? { tcp: { port: 0 } } : {};
    const alice = await ua('alice', { ...tcp, scheduler: clock, timers: T, trace: (dir, m) => dir === 'in' && inAlice.push(label(m)) });
    const bob = await ua('bob', { ...tcp, scheduler: clock, timers: T, trace: (dir, m) => dir === 'in' && inBob.push(label(m)) });
    const incoming = nextIncoming(bob);
    const out = alice.invite(transport === 'TCP' ? `sip:bob@127.0.0.1:${bob.localAddress('TCP')!.port};transport=tcp` : target(bob), offer('o'));
    const inc = await incoming;
    inc.accept(offer('answer'));
    await out.answered;
    await until(() => inBob.includes('ACK'));
    clock.advance(899_999);
    expect(inBob).not.toContain('UPDATE');
    clock.advance(1);
    await until(() => inAlice.includes('200 UPDATE'));
    clock.advance(900_000);
    await until(() => inAlice.filter((x) => x === '200 UPDATE').length === 2);
    // Without the refreshes Bob would have sent BYE at 1800 - 32 s.
    expect(inc.state).toBe('established');
    expect(out.state).toBe('established');
    expect(inAlice).not.toContain('BYE');
  });
});

describe('session timers with a raw peer', () => {
  it('answers Session-Expires: 90 with refresher=uac and Require: timer, then BYEs at 60 s without a refresh (§10)', async () => {
    const clock = new ManualScheduler();
    const bob = await ua('bob', { scheduler: clock, timers: T });
    const port = bob.localAddress('UDP')!.port;
    const raw = await rawPeer();
    const incoming = nextIncoming(bob);
    raw.send(port, rawRequest('INVITE', port, raw.port, { callId: 'st1', cseq: 1, branch: 'st1i', extra: ['Supported: timer', 'Session-Expires: 90', 'Content-Type: application/sdp'] }), RAW_SDP);
    const s = await incoming;
    s.accept(offer('answer'));
    await raw.until(() => raw.responses(200, 'INVITE').length > 0);
    const ok = raw.responses(200, 'INVITE')[0];
    expect(ok.headers.get('session-expires')).toBe('90;refresher=uac');
    expect(ok.headers.get('require')).toBe('timer');
    raw.send(port, rawRequest('ACK', port, raw.port, { callId: 'st1', cseq: 1, branch: 'st1a', toTag: s.dialog?.localTag }));
    await raw.fence(port); // the ACK is in
    clock.advance(59_999);
    expect(s.state).toBe('established');
    clock.advance(1);
    await raw.until(() => raw.requests('BYE').length > 0);
    expect(s.state).toBe('terminated');
  });

  it('refuses Session-Expires below 90 s with 422 and Min-SE: 90 (§8.1)', async () => {
    const bob = await ua('bob');
    const port = bob.localAddress('UDP')!.port;
    const raw = await rawPeer();
    raw.send(port, rawRequest('INVITE', port, raw.port, { callId: 'st2', cseq: 1, branch: 'st2i', extra: ['Supported: timer', 'Session-Expires: 60', 'Content-Type: application/sdp'] }), RAW_SDP);
    await raw.until(() => raw.responses(422).length > 0);
    expect(raw.responses(422)[0].headers.get('min-se')).toBe('90');
    expect(bob.activeSessions).toHaveLength(0);
  });

  it('refreshes as the UAS when the UAC asked refresher=uas, by UPDATE since the UAC allows it', async () => {
    const clock = new ManualScheduler();
    const bob = await ua('bob', { scheduler: clock, timers: T });
    const port = bob.localAddress('UDP')!.port;
    const raw = await rawPeer();
    const incoming = nextIncoming(bob);
    raw.send(port, rawRequest('INVITE', port, raw.port, { callId: 'st3', cseq: 1, branch: 'st3i', extra: ['Supported: timer', 'Allow: INVITE, ACK, BYE, UPDATE', 'Session-Expires: 120;refresher=uas', 'Content-Type: application/sdp'] }), RAW_SDP);
    const s = await incoming;
    s.accept(offer('answer'));
    await raw.until(() => raw.responses(200, 'INVITE').length > 0);
    expect(raw.responses(200, 'INVITE')[0].headers.get('session-expires')).toBe('120;refresher=uas');
    raw.send(port, rawRequest('ACK', port, raw.port, { callId: 'st3', cseq: 1, branch: 'st3a', toTag: s.dialog?.localTag }));
    await raw.fence(port); // the ACK is in
    clock.advance(60_000);
    await raw.until(() => raw.requests('UPDATE').length > 0);
    const update = raw.requests('UPDATE')[0];
    expect(update.body).toBe('');
    expect(update.headers.get('session-expires')).toBe('120;refresher=uac');
    raw.send(bob.localAddress('UDP')!.port, rawResponse(update, 200, 'OK', raw.port, ['Session-Expires: 120;refresher=uac', 'Require: timer']));
    await raw.fence(port); // the 200 to the UPDATE is in
    clock.advance(60_000);
    await raw.until(() => raw.requests('UPDATE').some((u) => cseqOf(u).seq === 2));
    expect(s.state).toBe('established');
  });

  it('as UAC refreshes by re-INVITE with the same SDP when the UAS does not allow UPDATE', async () => {
    const clock = new ManualScheduler();
    const alice = await ua('alice', { scheduler: clock, timers: T });
    const from = alice.localAddress('UDP')!.port;
    const raw = await rawPeer();
    const out = alice.invite(`sip:raw@127.0.0.1:${raw.port}`, offer('o'));
    await raw.until(() => raw.requests('INVITE').length === 1);
    const inv = raw.requests('INVITE')[0];
    expect(inv.headers.get('supported')?.split(/\s*,\s*/)).toEqual(expect.arrayContaining(['100rel', 'timer']));
    expect(inv.headers.get('session-expires')).toBe('1800');
    expect(inv.headers.get('min-se')).toBe('90');
    raw.send(from, rawResponse(inv, 200, 'OK', raw.port, ['Allow: INVITE, ACK, BYE', 'Session-Expires: 90;refresher=uac', 'Require: timer', 'Content-Type: application/sdp']), RAW_SDP);
    await out.answered;
    await raw.until(() => raw.requests('ACK').length === 1);
    clock.advance(44_999);
    expect(raw.requests('INVITE')).toHaveLength(1);
    clock.advance(1);
    await raw.until(() => raw.requests('INVITE').length === 2);
    const refresh = raw.requests('INVITE')[1];
    expect(refresh.body).toBe(inv.body);
    expect(refresh.headers.get('session-expires')).toBe('90;refresher=uac');
    raw.send(from, rawResponse(refresh, 200, 'OK', raw.port, ['Session-Expires: 90;refresher=uac', 'Require: timer', 'Content-Type: application/sdp']), RAW_SDP);
    await raw.until(() => raw.requests('ACK').length === 2);
    expect(out.state).toBe('established');
  });

  it('as UAC retries once after 422 with the Min-SE it names and a higher CSeq (§7.4)', async () => {
    const alice = await ua('alice');
    const from = alice.localAddress('UDP')!.port;
    const raw = await rawPeer();
    const out = alice.invite(`sip:raw@127.0.0.1:${raw.port}`, offer('o'));
    // Timer A repeats the INVITE every T1 (20 ms) until answered: match by CSeq, not by count.
    await raw.until(() => raw.requests('INVITE').length >= 1);
    const first = raw.requests('INVITE')[0];
    raw.send(from, rawResponse(first, 422, 'Session Interval Too Small', raw.port, ['Min-SE: 3600']));
    await raw.until(() => raw.requests('INVITE').some((r) => cseqOf(r).seq === cseqOf(first).seq + 1));
    const second = raw.requests('INVITE').find((r) => cseqOf(r).seq === cseqOf(first).seq + 1)!;
    expect(second.headers.get('call-id')).toBe(first.headers.get('call-id'));
    expect(second.headers.get('from')).toBe(first.headers.get('from'));
    expect(second.headers.get('session-expires')).toBe('3600');
    expect(second.headers.get('min-se')).toBe('3600');
    // A second 422 naming no larger interval ends the call with it.
    raw.send(from, rawResponse(second, 422, 'Session Interval Too Small', raw.port, ['Min-SE: 3600']));
    await expect(out.answered).rejects.toMatchObject({ status: 422 });
  });

  it('as refresher ends the call when its UPDATE refresh gets 481 (RFC 3261 §12.2.1.2)', async () => {
    const clock = new ManualScheduler();
    const alice = await ua('alice', { scheduler: clock, timers: T });
    const from = alice.localAddress('UDP')!.port;
    const raw = await rawPeer();
    const out = alice.invite(`sip:raw@127.0.0.1:${raw.port}`, offer('o'));
    await raw.until(() => raw.requests('INVITE').length >= 1);
    const inv = raw.requests('INVITE')[0];
    raw.send(from, rawResponse(inv, 200, 'OK', raw.port, ['Allow: INVITE, ACK, BYE, UPDATE', 'Session-Expires: 90;refresher=uac', 'Require: timer', 'Content-Type: application/sdp']), RAW_SDP);
    await out.answered;
    clock.advance(45_000);
    await raw.until(() => raw.requests('UPDATE').length >= 1);
    raw.send(from, rawResponse(raw.requests('UPDATE')[0], 481, 'Call/Transaction Does Not Exist', raw.port));
    expect(await out.ended).toMatchObject({ by: 'remote', status: 481 });
  });
});
