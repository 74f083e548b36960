// Two IceAgents exchanging real STUN checks through an in-memory network under a virtual clock
// (RFC 8445 §6–§9, RFC 7675): host, NAT'ed srflx, relayed paths, role conflict, loss, consent, restart.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AttributeType, getAttribute, parseMessage } from '../stun/index';
import { IceAgent } from './agent';
import { makeCandidate } from './candidate';
import { Network, Peer, agentOptions, seededBytes, v4 } from './test-support';
import type { IcePair } from './types';

function pairAddresses(p: IcePair | undefined): string {
  return p ? `${p.local.address}:${p.local.port} -> ${p.remoteAddress.address}:${p.remoteAddress.port}` : 'none';
}

function connect(a: Peer, b: Peer): Network {
  a.signalTo(b);
  b.signalTo(a);
  return new Network([a, b]);
}

describe('IceAgent between two hosts', () => {
  it('checks, reports the first success at once, nominates and completes on both sides', () => {
    const a = new Peer('a', agentOptions('a', true, 10n, 1)).host('a0', v4('192.0.2.10', 4000));
    const b = new Peer('b', agentOptions('b', false, 20n, 2)).host('b0', v4('192.0.2.20', 5000));
    const net = connect(a, b);
    net.run(2000);
    expect(a.eventsOf('state').map((e) => e.state)).toEqual(['checking', 'completed']);
    expect(b.eventsOf('state').map((e) => e.state)).toEqual(['checking', 'completed']);
    expect(pairAddresses(a.agent.selectedPair())).toBe('192.0.2.10:4000 -> 192.0.2.20:5000');
    expect(pairAddresses(b.agent.selectedPair())).toBe('192.0.2.20:5000 -> 192.0.2.10:4000');
    // One round trip (2 × 5 ms) after the first check: no waiting for nomination.
    expect(a.firstAt('pair-succeeded')).toBe(10);
    expect(a.firstAt('selected-pair')).toBe(10);
    expect(b.firstAt('selected-pair')).toBeLessThanOrEqual(20);
    expect(a.agent.controlling).toBe(true);
    expect(b.agent.controlling).toBe(false);
  });

  it('sends checks with USERNAME, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT (§7.1.1)', () => {
    const a = new Peer('a', agentOptions('a', true, 10n, 1)).host('a0', v4('192.0.2.10', 4000));
    const b = new Peer('b', agentOptions('b', false, 20n, 2)).host('b0', v4('192.0.2.20', 5000));
    const net = connect(a, b);
    net.run(20);
    const check = net.delivered.find((p) => p.sender === a);
    const m = check && parseMessage(check.bytes);
    expect(m?.ok).toBe(true);
    if (!m?.ok) return;
    const types = m.message.attributes.map((x) => x.type);
    expect(types).toEqual([
      AttributeType.Username,
      AttributeType.Priority,
      AttributeType.IceControlling,
      AttributeType.UseCandidate,
      AttributeType.MessageIntegrity,
      AttributeType.Fingerprint,
    ]);
    expect(new TextDecoder().decode(getAttribute(m.message, AttributeType.Username)?.value)).toBe('bufrag:aufrag');
  });

  it('paces new checks Ta = 50 ms apart (RFC 8445 §14.2)', () => {
    const a = new Peer('a', agentOptions('a', true, 10n, 1)).host('a0', v4('192.0.2.10', 4000));
    const b = new Peer('b', agentOptions('b', false, 20n, 2));
    for (let i = 0; i < 4; i++) b.host(`b${i}`, v4(`192.0.2.${30 + i}`, 5000), 1000 * i);
    const net = connect(a, b);
    const sent: number[] = [];
    net.drop = (p) => {
      if (p.sender === a) sent.push(p.at - net.latencyMs);
      return true;
    };
    net.run(400);
    // Four pairs, four new checks Ta apart; the first retransmission is due only at 500 ms (RTO).
    expect(sent).toEqual([0, 50, 100, 150]);
  });
});

describe('IceAgent robustness', () => {
  it('never throws on random or corrupted datagrams and stays able to connect (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.uint8Array({ maxLength: 120 }), fc.nat(200), fc.nat(255)), { maxLength: 20 }), (junk) => {
        const a = new Peer('a', agentOptions('a', true, 10n, 1)).host('a0', v4('192.0.2.10', 4000));
        const b = new Peer('b', agentOptions('b', false, 20n, 2)).host('b0', v4('192.0.2.20', 5000));
        const net = connect(a, b);
        net.run(8);
        // Replays of the first real packets with one byte flipped, and random bytes with a STUN header.
        const real = net.delivered.map((p) => p.bytes);
        for (const [bytes, at, flip] of junk) {
          const base = real[at % Math.max(1, real.length)]?.slice() ?? bytes;
          base[flip % base.length] ^= 1 + (flip % 255);
          const stunish = new Uint8Array([0, 1, 0, bytes.length & ~3, 0x21, 0x12, 0xa4, 0x42, ...new Uint8Array(12), ...bytes.subarray(0, bytes.length & ~3)]);
          for (const packet of [base, bytes, stunish]) {
            a.agent.handleStun(packet, v4('192.0.2.20', 5000), 'a0', net.now);
            b.agent.handleStun(packet, { family: 'IPv6', address: '::ffff:192.0.2.10', port: 4000 }, 'b0', net.now);
          }
        }
        net.run(3000);
        expect(a.agent.selectedPair()?.remoteAddress).toEqual(v4('192.0.2.20', 5000));
        expect(b.agent.selectedPair()?.remoteAddress).toEqual(v4('192.0.2.10', 4000));
      }),
      { numRuns: 50 },
    );
  });

  it('converges on the best pair on both sides whatever the early loss (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 0.6, noNaN: true }), (seed, loss) => {
        const a = new Peer('a', agentOptions('a', true, 10n, seed)).host('a0', v4('192.0.2.10', 4000)).relay('ta', v4('198.51.100.1', 60000), v4('192.0.2.10', 4001));
        const b = new Peer('b', agentOptions('b', false, 20n, seed + 1)).host('b0', v4('192.0.2.20', 5000)).relay('tb', v4('198.51.100.2', 60000), v4('192.0.2.20', 5001));
        const net = connect(a, b);
        let r = seed;
        net.drop = () => {
          r = (Math.imul(r, 1103515245) + 12345) >>> 0;
          return net.now < 5000 && r / 2 ** 32 < loss;
        };
        net.run(45_000);
        expect(a.agent.selectedPair()?.local.type).toBe('host');
        expect(a.agent.selectedPair()?.remoteAddress).toEqual(v4('192.0.2.20', 5000));
        expect(b.agent.selectedPair()?.remoteAddress).toEqual(v4('192.0.2.10', 4000));
        expect(a.eventsOf('consent-lost')).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});

describe('IceAgent, packet by packet', () => {
  function pair() {
    const a = new IceAgent({ controlling: true, localUfrag: 'aufr', localPwd: 'a-password-0123456789abc', tieBreaker: 10n, now: 0, randomBytes: seededBytes(1) });
    const b = new IceAgent({ controlling: false, localUfrag: 'bufr', localPwd: 'b-password-0123456789abc', tieBreaker: 20n, now: 0, randomBytes: seededBytes(2) });
    a.addLocalCandidate(makeCandidate({ type: 'host', address: v4('192.0.2.10', 4000) }), 'a0');
    b.addLocalCandidate(makeCandidate({ type: 'host', address: v4('192.0.2.20', 5000) }), 'b0');
    a.setRemoteCredentials('bufr', 'b-password-0123456789abc');
    b.setRemoteCredentials('aufr', 'a-password-0123456789abc');
    a.addRemoteCandidate(makeCandidate({ type: 'host', address: v4('192.0.2.20', 5000) }));
    return { a, b };
  }

  it('answers a check from an unknown address and checks it next, ahead of Waiting pairs (§7.3.1.3, §7.3.1.4)', () => {
    const { a, b } = pair();
    for (let i = 1; i <= 3; i++) b.addRemoteCandidate(makeCandidate({ type: 'host', address: v4(`10.9.0.${i}`, 4000), localPreference: 65535 - i }));
    b.handleTimeout(0);
    expect(b.pollTransmit()?.to).toEqual(v4('10.9.0.1', 4000));
    a.handleTimeout(0);
    const check = a.pollTransmit();
    expect(check?.to).toEqual(v4('192.0.2.20', 5000));
    // a is behind a NAT: its check arrives from an address it never signalled.
    expect(b.handleStun(check!.bytes, v4('203.0.113.9', 7000), 'b0', 5)).toBe(true);
    const answer = b.pollTransmit();
    expect(answer?.to).toEqual(v4('203.0.113.9', 7000));
    expect(b.nextTimeout()).toBe(50);
    b.handleTimeout(50);
    expect(b.pollTransmit()?.to).toEqual(v4('203.0.113.9', 7000));
  });

  it('fails a pair whose answer comes from another address (§7.2.5.2.1)', () => {
    const { a, b } = pair();
    a.handleTimeout(0);
    const check = a.pollTransmit()!;
    b.handleStun(check.bytes, v4('192.0.2.10', 4000), 'b0', 5);
    const answer = b.pollTransmit()!;
    expect(a.handleStun(answer.bytes, v4('192.0.2.99', 5000), 'a0', 10)).toBe(true);
    const events: string[] = [];
    for (let e = a.pollEvent(); e; e = a.pollEvent()) events.push(e.type === 'state' ? e.state : e.type);
    expect(events).toEqual(['checking']);
    // The transaction is over: the same answer from the right address is no longer taken.
    expect(a.handleStun(answer.bytes, v4('192.0.2.20', 5000), 'a0', 11)).toBe(false);
    expect(a.selectedPair()).toBeUndefined();
  });
});
