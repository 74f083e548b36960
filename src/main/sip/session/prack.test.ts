// RFC 3262 on loopback: Vouch ↔ Vouch (183 reliably, PRACKed), Vouch as UAS to a raw UAC
// (18x repeated at T1, 2T1... until the PRACK, one at a time, a 5xx after 64*T1), and Vouch as
// UAC to a raw UAS (one PRACK per new RSeq, repeats dropped); RSeq/RAck parsers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cseqOf } from '../message';
import { nextIncoming, offer, target, uasAndRawPeers } from '../test-support';
import { ManualScheduler } from '../timers';
import type { SipSession } from '.';
import { parseRack, parseRseq } from './prack';
import { RAW_PEER_TIMERS, RAW_SDP, rawRequest, rawResponse, type RawPeer } from './raw-peer';

const { ua, rawPeer } = uasAndRawPeers();
const T = RAW_PEER_TIMERS;

describe('RSeq and RAck (RFC 3262 §7.1, §7.2)', () => {
  it('parses the RFC examples', () => {
    // §7.1: "RSeq: 988789"; §7.2: "RAck: 776656 1 INVITE".
    expect(parseRseq('988789')).toBe(988789);
    expect(parseRack('776656 1 INVITE')).toEqual({ rseq: 776656, cseq: 1, method: 'INVITE' });
  });
  it('refuses what the grammar does not allow, never throwing', () => {
    for (const bad of ['', '0', '-1', '4294967296', '1.5', 'x']) expect(parseRseq(bad)).toBeUndefined();
    for (const bad of ['1 INVITE', '1 2 3 4', '0 1 INVITE', '1 x INVITE', '1 1 IN\u0000VITE']) expect(parseRack(bad)).toBeUndefined();
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseRack(s);
        const q = parseRseq(s);
        return (r === undefined || r.rseq >= 1) && (q === undefined || (q >= 1 && q < 2 ** 32));
      }),
    );
  });
  it('reads back what it formats', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 31 }), (rseq, cseq) => {
        expect(parseRack(`${rseq} ${cseq} INVITE`)).toEqual({ rseq, cseq, method: 'INVITE' });
      }),
    );
  });
});

describe('100rel between two Vouch user agents', () => {
  it.each(['UDP', 'TCP'] as const)('%s: sends 183 reliably, the caller PRACKs it, and the call goes on with CSeq counting on', async (transport) => {
    const seen: string[] = [];
    const tcp = transport === 'TCP' ? { tcp: { port: 0 } } : {};
    const alice = await ua('alice', { ...tcp, trace: (dir, m) => dir === 'out' && seen.push(m.type === 'request' ? `${m.method} ${m.headers.get('rack') ?? ''}`.trim() : `${m.status} ${m.headers.get('rseq') ?? ''}`.trim()) });
    const bob = await ua('bob', tcp);
    const incoming = nextIncoming(bob);
    const out = alice.invite(transport === 'TCP' ? `sip:bob@127.0.0.1:${bob.localAddress('TCP')!.port};transport=tcp` : target(bob), offer('o'));
    const inc = await incoming;
    expect(inc.remoteBody).toBeDefined();
    const pracked = new Promise<number>((r) => inc.once('prack', r));
    const progress = new Promise<number>((r) => out.once('progress', r));
    inc.progress(183, offer('early'));
    expect(await progress).toBe(183);
    const rseq = await pracked;
    expect(seen).toContain(`PRACK ${rseq} 1 INVITE`);
    inc.accept(offer('answer'));
    await out.answered;
    out.bye();
    await inc.ended;
    // INVITE 1, PRACK 2, BYE 3 (§12.2.1.1: the early dialog's count carries on).
    expect(inc.dialog?.remoteSeq).toBe(3);
    // Liveness after the call, from the same UA over the same transport.
    expect((await alice.request('OPTIONS', transport === 'TCP' ? `sip:bob@127.0.0.1:${bob.localAddress('TCP')!.port};transport=tcp` : target(bob))).status).toBe(200);
  });
});

describe('Vouch as UAS with a raw UAC asking for 100rel', () => {
  const invite = (raw: RawPeer, port: number, callId: string): void =>
    raw.send(port, rawRequest('INVITE', port, raw.port, { callId, cseq: 1, branch: callId, extra: ['Require: 100rel', 'Content-Type: application/sdp'] }), RAW_SDP);

  it('repeats the 180 at T1, 2T1, 4T1 until the PRACK; the queued 183 goes after it; PRACK gets 200', async () => {
    const clock = new ManualScheduler();
    const sent: [number, string][] = [];
    const bob = await ua('bob', { scheduler: clock, timers: T, trace: (dir, m) => dir === 'out' && m.type === 'response' && sent.push([clock.now, `${m.status}`]) });
    const port = bob.localAddress('UDP')!.port;
    const raw = await rawPeer();
    const incoming = nextIncoming(bob);
    invite(raw, port, 'rel1');
    const s = await incoming;
    s.progress(180);
    s.progress(183, offer('early'));
    await raw.until(() => raw.responses(180).length === 1);
    const first = raw.responses(180)[0];
    expect(first.headers.get('require')).toBe('100rel');
    expect(raw.responses(183)).toHaveLength(0); // §3: one unacknowledged at a time
    clock.advance(150); // 20, 60, 140 ms
    expect(sent.filter(([, st]) => st === '180').map(([t]) => t)).toEqual([0, 20, 60, 140]);
    const rseq = Number(first.headers.get('rseq'));
    raw.send(port, rawRequest('PRACK', port, raw.port, { callId: 'rel1', cseq: 2, branch: 'rel1p', toTag: s.dialog!.localTag, extra: [`RAck: ${rseq} 1 INVITE`] }));
    await raw.until(() => raw.responses(200, 'PRACK').length === 1 && raw.responses(183).length === 1);
    expect(Number(raw.responses(183)[0].headers.get('rseq'))).toBe(rseq + 1);
    const before = sent.filter(([, st]) => st === '180').length;
    clock.advance(1000);
    expect(sent.filter(([, st]) => st === '180')).toHaveLength(before);
    // A PRACK naming an RSeq never sent: 481.
    raw.send(port, rawRequest('PRACK', port, raw.port, { callId: 'rel1', cseq: 3, branch: 'rel1q', toTag: s.dialog!.localTag, extra: [`RAck: ${rseq + 7} 1 INVITE`] }));
    await raw.until(() => raw.responses(481, 'PRACK').length === 1);
    s.reject(486);
  });

  it('holds the 200 until the PRACK of a reliable 183 with SDP, not of a 180 without (§3)', async () => {
    const clock = new ManualScheduler();
    const bob = await ua('bob', { scheduler: clock, timers: T, callWaiting: true });
    const port = bob.localAddress('UDP')!.port;
    const raw = await rawPeer();
    const incoming = nextIncoming(bob);
    invite(raw, port, 'rel3');
    const s = await incoming;
    s.progress(183, offer('early'));
    await raw.until(() => raw.responses(183).length === 1);
    s.accept(offer('answer'));
    await raw.fence(port); // a 200 sent at accept() would be here by now
    expect(raw.responses(200, 'INVITE')).toHaveLength(0);
    const rseq = raw.responses(183)[0].headers.get('rseq');
    raw.send(port, rawRequest('PRACK', port, raw.port, { callId: 'rel3', cseq: 2, branch: 'rel3p', toTag: s.dialog!.localTag, extra: [`RAck: ${rseq} 1 INVITE`] }));
    await raw.until(() => raw.responses(200, 'INVITE').length > 0);
    expect(raw.responses(200, 'INVITE')[0].body).toContain('s=answer');
    expect(s.state).toBe('established');

    const incoming2 = nextIncoming(bob);
    invite(raw, port, 'rel4');
    const s2 = await incoming2;
    s2.progress(180);
    s2.accept(offer('answer2'));
    await raw.until(() => raw.responses(200, 'INVITE').some((r) => r.body.includes('s=answer2')));
    s.bye();
    s2.bye();
  });

  it('refuses the INVITE with 500 when no PRACK came within 64*T1', async () => {
    const clock = new ManualScheduler();
    const bob = await ua('bob', { scheduler: clock, timers: T });
    const port = bob.localAddress('UDP')!.port;
    const raw = await rawPeer();
    const incoming = nextIncoming(bob);
    invite(raw, port, 'rel2');
    const s = await incoming;
    s.progress(180);
    clock.advance(64 * T.t1);
    expect(s.state).toBe('terminated');
    await raw.until(() => raw.responses(500, 'INVITE').length > 0);
  });
});

describe('Vouch as UAC with a raw UAS sending reliable 18x', () => {
  it('PRACKs each new RSeq once, drops repeats, and ACKs the 200', async () => {
    const alice = await ua('alice');
    const raw = await rawPeer();
    const out: SipSession = alice.invite(`sip:raw@127.0.0.1:${raw.port}`, offer('o'));
    await raw.until(() => raw.requests('INVITE').length >= 1); // Timer A may repeat it
    const inv = raw.requests('INVITE')[0];
    expect(inv.headers.get('supported')).toContain('100rel');
    const from = alice.localAddress('UDP')!.port;
    const ringing = rawResponse(inv, 180, 'Ringing', raw.port, ['Require: 100rel', 'RSeq: 41']);
    raw.send(from, ringing);
    raw.send(from, ringing); // a repeat: no second PRACK (§4)
    raw.send(from, rawResponse(inv, 183, 'Session Progress', raw.port, ['Require: 100rel', 'RSeq: 43'])); // out of order: dropped
    await raw.until(() => raw.requests('PRACK').length >= 1);
    await raw.fence(from); // all three provisional responses handled, any PRACK they caused is here
    // The PRACK's own transaction repeats it until answered (Timer E): one CSeq, one RAck.
    expect(new Set(raw.requests('PRACK').map((p) => `${p.headers.get('cseq')} / ${p.headers.get('rack')}`))).toEqual(new Set(['2 PRACK / 41 1 INVITE']));
    const prack = raw.requests('PRACK')[0];
    expect(cseqOf(prack).seq).toBe(2);
    raw.send(from, rawResponse(prack, 200, 'OK', raw.port));
    raw.send(from, rawResponse(inv, 183, 'Session Progress', raw.port, ['Require: 100rel', 'RSeq: 42']));
    await raw.until(() => raw.requests('PRACK').some((p) => cseqOf(p).seq === 3));
    expect(raw.requests('PRACK').find((p) => cseqOf(p).seq === 3)?.headers.get('rack')).toBe('42 1 INVITE');
    raw.send(from, rawResponse(inv, 200, 'OK', raw.port, ['Content-Type: application/sdp']), RAW_SDP);
    await out.answered;
    await raw.until(() => raw.requests('ACK').length === 1);
    out.bye();
    await raw.until(() => raw.requests('BYE').length >= 1);
    expect(cseqOf(raw.requests('BYE')[0]).seq).toBe(4);
  });
});
