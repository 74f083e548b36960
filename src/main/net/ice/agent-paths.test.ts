// IceAgent across NATs and relays, with loss, role conflict, consent expiry and restart, all in
// virtual time through the in-memory network of test-support.ts.
import { describe, expect, it } from 'vitest';
import { Network, Peer, agentOptions, v4 } from './test-support';
import type { IcePair } from './types';

function route(p: IcePair | undefined): string {
  return p ? `${p.local.type} ${p.local.address}:${p.local.port} -> ${p.remote.type} ${p.remoteAddress.address}:${p.remoteAddress.port}` : 'none';
}

function connect(a: Peer, b: Peer): Network {
  a.signalTo(b);
  b.signalTo(a);
  return new Network([a, b]);
}

describe('IceAgent through NATs', () => {
  it('connects two peers behind port-restricted cone NATs over their srflx candidates', () => {
    const a = new Peer('a', agentOptions('a', true, 10n, 1)).natted('a0', v4('10.0.0.1', 4000), v4('203.0.113.1', 40000));
    const b = new Peer('b', agentOptions('b', false, 20n, 2)).natted('b0', v4('10.1.0.1', 5000), v4('203.0.113.2', 50000));
    const net = connect(a, b);
    net.run(3000);
    // The check goes out from the host base; the answer's XOR-MAPPED-ADDRESS is the srflx candidate,
    // so the valid pair's local candidate is that srflx candidate (RFC 8445 §7.2.5.3.2).
    expect(route(a.agent.selectedPair())).toBe('srflx 203.0.113.1:40000 -> srflx 203.0.113.2:50000');
    expect(route(b.agent.selectedPair())).toBe('srflx 203.0.113.2:50000 -> srflx 203.0.113.1:40000');
    expect(a.agent.selectedPair()?.localBaseId).toBe('a0');
    expect(a.eventsOf('state').at(-1)?.state).toBe('completed');
    expect(b.eventsOf('state').at(-1)?.state).toBe('completed');
  });

  it('learns peer-reflexive candidates when the peer advertises only its host address (§7.2.5.3.1, §7.3.1.3)', () => {
    // a gathered no srflx candidate (no STUN server); b is public and learns a's mapped address from a's check.
    const a = new Peer('a', agentOptions('a', true, 10n, 1)).natted('a0', v4('10.0.0.1', 4000), v4('203.0.113.1', 40000), 'host');
    const b = new Peer('b', agentOptions('b', false, 20n, 2)).host('b0', v4('192.0.2.20', 5000));
    const net = connect(a, b);
    net.run(3000);
    expect(route(a.agent.selectedPair())).toBe('prflx 203.0.113.1:40000 -> host 192.0.2.20:5000');
    expect(route(b.agent.selectedPair())).toBe('host 192.0.2.20:5000 -> prflx 203.0.113.1:40000');
    expect(a.agent.localCandidates().some((l) => l.candidate.type === 'prflx')).toBe(true);
  });

  it('selects a relayed pair at once when nothing else works, while host checks still run', () => {
    // a's NAT drops everything (symmetric with unpredictable ports): only its relay reaches b.
    const a = new Peer('a', agentOptions('a', true, 10n, 1))
      .natted('a0', v4('10.0.0.1', 4000), v4('203.0.113.1', 40000))
      .relay('turn', v4('198.51.100.1', 60000), v4('203.0.113.1', 40001));
    const b = new Peer('b', agentOptions('b', false, 20n, 2)).natted('b0', v4('10.1.0.1', 5000), v4('203.0.113.2', 50000));
    const net = connect(a, b);
    net.drop = (p) => p.from.address === '203.0.113.1' || p.to.address === '203.0.113.1';
    net.run(1000);
    expect(route(a.agent.selectedPair())).toBe('relay 198.51.100.1:60000 -> srflx 203.0.113.2:50000');
    expect(route(b.agent.selectedPair())).toBe('srflx 203.0.113.2:50000 -> relay 198.51.100.1:60000');
    // Relayed pairs are checked from the start (one pair per foundation is Waiting at once).
    expect(a.firstAt('selected-pair')).toBeLessThan(300);
    expect(b.firstAt('selected-pair')).toBeLessThan(300);
  });

  it('switches the selected pair when a higher-priority pair is nominated later', () => {
    const a = new Peer('a', agentOptions('a', true, 10n, 1)).host('a0', v4('192.0.2.10', 4000)).relay('turn', v4('198.51.100.1', 60000), v4('192.0.2.10', 4001));
    const b = new Peer('b', agentOptions('b', false, 20n, 2)).host('b0', v4('192.0.2.20', 5000));
    const net = connect(a, b);
    // The direct path loses everything for the first 400 ms (a router coming up).
    net.drop = (p) => net.now < 400 && p.from.address !== '198.51.100.1' && p.to.address !== '198.51.100.1';
    net.run(5000);
    for (const peer of [a, b]) {
      const selections = peer.eventsOf('selected-pair').map((e) => e.pair.local.type + '/' + e.pair.remote.type);
      expect(selections[0]).toMatch(/relay/);
      expect(selections.at(-1)).toBe('host/host');
    }
    expect(route(b.agent.selectedPair())).toBe('host 192.0.2.20:5000 -> host 192.0.2.10:4000');
  });
});

describe('IceAgent under loss and conflict', () => {
  it('retransmits lost checks and still connects (RFC 8489 §6.2.1)', () => {
    const a = new Peer('a', agentOptions('a', true, 10n, 1)).host('a0', v4('192.0.2.10', 4000));
    const b = new Peer('b', agentOptions('b', false, 20n, 2)).host('b0', v4('192.0.2.20', 5000));
    const net = connect(a, b);
    let lost = 0;
    net.drop = () => lost++ < 6;
    net.run(5000);
    expect(lost).toBeGreaterThan(6);
    expect(route(a.agent.selectedPair())).toBe('host 192.0.2.10:4000 -> host 192.0.2.20:5000');
    expect(route(b.agent.selectedPair())).toBe('host 192.0.2.20:5000 -> host 192.0.2.10:4000');
    expect(a.firstAt('selected-pair')).toBeGreaterThanOrEqual(500);
  });

  it('fails once every pair has failed and the peer has no more candidates', () => {
    const a = new Peer('a', agentOptions('a', true, 10n, 1)).host('a0', v4('192.0.2.10', 4000));
    const b = new Peer('b', agentOptions('b', false, 20n, 2)).host('b0', v4('192.0.2.20', 5000));
    const net = connect(a, b);
    a.agent.setRemoteEndOfCandidates();
    net.drop = () => true;
    net.run(60_000);
    // Rc = 7 requests, Rm = 16: the transaction ends 39.5 s after the first request.
    expect(a.eventsOf('state').map((e) => e.state)).toEqual(['checking', 'failed']);
    expect(a.firstAt('state')).toBe(0);
    expect(a.events.at(-1)?.at).toBe(39_500);
  });

  it.each([
    ['both controlling', true, true],
    ['both controlled', false, false],
  ])('resolves a role conflict (%s) with 487 and the tie-breaker (§7.3.1.1)', (_, ca, cb) => {
    const a = new Peer('a', agentOptions('a', ca, 99n, 1)).host('a0', v4('192.0.2.10', 4000));
    const b = new Peer('b', agentOptions('b', cb, 7n, 2)).host('b0', v4('192.0.2.20', 5000));
    const net = connect(a, b);
    net.run(3000);
    // The larger tie-breaker controls.
    expect(a.agent.controlling).toBe(true);
    expect(b.agent.controlling).toBe(false);
    expect(route(a.agent.selectedPair())).toBe('host 192.0.2.10:4000 -> host 192.0.2.20:5000');
    expect(route(b.agent.selectedPair())).toBe('host 192.0.2.20:5000 -> host 192.0.2.10:4000');
  });
});

describe('consent freshness (RFC 7675) and ICE restart (RFC 8445 §9)', () => {
  it('keeps consent with requests every 4–6 s and loses it 30 s after the path dies', () => {
    // a's relayed pair is nominated too, but its last check is a minute old: no consent to fall back on.
    const a = new Peer('a', agentOptions('a', true, 10n, 1)).host('a0', v4('192.0.2.10', 4000)).relay('turn', v4('198.51.100.1', 60000), v4('192.0.2.10', 4001));
    const b = new Peer('b', agentOptions('b', false, 20n, 2)).host('b0', v4('192.0.2.20', 5000));
    const net = connect(a, b);
    const consentSends: number[] = [];
    net.drop = (p) => {
      if (p.sender === a && p.at > 1000 && p.bytes[0] === 0 && p.from.port === 4000) consentSends.push(p.at);
      return net.now >= 60_000;
    };
    net.run(120_000);
    const before = consentSends.filter((t) => t < 60_000);
    for (let i = 1; i < before.length; i++) {
      expect(before[i] - before[i - 1]).toBeGreaterThanOrEqual(4000);
      expect(before[i] - before[i - 1]).toBeLessThanOrEqual(6000);
    }
    expect(before.length).toBeGreaterThanOrEqual(9);
    const lostAt = a.events.find((e) => e.event.type === 'consent-lost')?.at ?? 0;
    // The last answered request went out at most 6 s before the cut; consent lasts 30 s after it.
    expect(lostAt).toBeGreaterThan(60_000 + 24_000 - 1);
    expect(lostAt).toBeLessThanOrEqual(90_000);
    expect(a.eventsOf('state').at(-1)?.state).toBe('disconnected');
    expect(a.agent.selectedPair()).toBeUndefined();
  });

  it('restart keeps the old pair selected until the new checks select one', () => {
    const a = new Peer('a', agentOptions('a', true, 10n, 1)).host('a0', v4('192.0.2.10', 4000));
    const b = new Peer('b', agentOptions('b', false, 20n, 2)).host('b0', v4('192.0.2.20', 5000)).relay('turn', v4('198.51.100.1', 60000), v4('192.0.2.20', 5001));
    const net = connect(a, b);
    net.run(2000);
    const old = b.agent.selectedPair();
    expect(route(old)).toBe('host 192.0.2.20:5000 -> host 192.0.2.10:4000');
    a.agent.restart('a2ufrag', 'a2-password-0123456789abc');
    b.agent.restart('b2ufrag', 'b2-password-0123456789abc');
    // Only a's new offer has arrived so far: b answers under the new ufrag, a has nothing to check.
    a.signalTo(b);
    net.run(40_000);
    expect(b.agent.selectedPair()).toEqual(old);
    expect(a.eventsOf('consent-lost')).toEqual([]);
    expect(b.eventsOf('consent-lost')).toEqual([]);
    // The answer arrives; the direct path now fails, so the new generation selects the relay.
    net.drop = (p) => p.to.address === '192.0.2.20' && p.to.port === 5000;
    b.signalTo(a);
    net.run(45_000);
    expect(route(b.agent.selectedPair())).toBe('relay 198.51.100.1:60000 -> host 192.0.2.10:4000');
    expect(route(a.agent.selectedPair())).toBe('host 192.0.2.10:4000 -> relay 198.51.100.1:60000');
    expect(a.eventsOf('consent-lost')).toEqual([]);
  });
});

describe('IceAgent timers', () => {
  it('arms no timer for Frozen pairs that cannot be unfrozen yet (no busy loop under total loss)', () => {
    const a = new Peer('a', agentOptions('a', true, 10n, 1)).host('a0', v4('192.0.2.10', 4000));
    // Two remote host candidates on one IP share a foundation: one is checked, the other waits Frozen.
    const b = new Peer('b', agentOptions('b', false, 20n, 2)).host('b0', v4('192.0.2.20', 5000)).host('b1', v4('192.0.2.20', 5001));
    const net = connect(a, b);
    a.agent.setRemoteEndOfCandidates();
    net.drop = () => true;
    net.run(100_000, 2_000);
    // The second pair is unfrozen when the first fails (39.5 s), and fails 39.5 s later.
    expect(a.eventsOf('state').map((e) => e.state)).toEqual(['checking', 'failed']);
    expect(a.events.at(-1)?.at).toBe(39_500 + 39_500);
  });
});
