// Pairing, pruning, ordering and unfreezing (RFC 8445 §6.1.2, §6.1.4.2, §7.2.5.3.3).
import { describe, expect, it } from 'vitest';
import { makeCandidate } from './candidate';
import type { Candidate } from './candidate';
import { Checklist, formPairs, newPair } from './checklist';
import type { LocalCandidate } from './checklist';

const v4 = (address: string, port: number) => ({ family: 'IPv4' as const, address, port });
const hostA = makeCandidate({ type: 'host', address: v4('10.0.0.1', 5000) });
const srflxA = makeCandidate({ type: 'srflx', address: v4('203.0.113.1', 6000), base: v4('10.0.0.1', 5000), serverAddress: '198.51.100.1' });
const relayA = makeCandidate({ type: 'relay', address: v4('198.51.100.1', 7000), base: v4('203.0.113.1', 6000), serverAddress: '198.51.100.1' });
const hostA6 = makeCandidate({ type: 'host', address: { family: 'IPv6', address: '2001:db8::1', port: 5002 }, localPreference: 65000 });
const hostARtcp = makeCandidate({ type: 'host', address: v4('10.0.0.1', 5001), component: 2 });

const locals: LocalCandidate[] = [
  { candidate: hostA, baseId: 'h' },
  { candidate: srflxA, baseId: 'h' },
  { candidate: relayA, baseId: 'r' },
  { candidate: hostA6, baseId: 'h6' },
  { candidate: hostARtcp, baseId: 'h2' },
];
const hostB = makeCandidate({ type: 'host', address: v4('10.1.0.1', 9000) });
const srflxB = makeCandidate({ type: 'srflx', address: v4('203.0.113.2', 9500), base: v4('10.1.0.1', 9000), serverAddress: '198.51.100.1' });
const mdnsB: Candidate = { ...hostB, address: 'abc.local', port: 9001 };
const hostB6 = makeCandidate({ type: 'host', address: { family: 'IPv6', address: '2001:db8::2', port: 9002 } });

describe('forming pairs (RFC 8445 §6.1.2.2–§6.1.2.4)', () => {
  const pairs = formPairs(locals, [hostB, srflxB, mdnsB, hostB6], true);

  it('pairs same component and family only, and skips FQDN remotes', () => {
    expect(pairs.every((p) => p.local.component === p.remote.component)).toBe(true);
    expect(pairs.some((p) => p.remote.address === 'abc.local')).toBe(false);
    expect(pairs.filter((p) => p.local === hostA6).map((p) => p.remote)).toEqual([hostB6]);
    expect(pairs.some((p) => p.local === hostARtcp)).toBe(false);
  });

  it('replaces a srflx local candidate by its base and drops the redundant pair', () => {
    expect(pairs.some((p) => p.local === srflxA)).toBe(false);
    expect(pairs.filter((p) => p.localBaseId === 'h').map((p) => p.remote)).toEqual([hostB, srflxB]);
    // Without its host candidate the srflx candidate itself stays (its base is still the socket).
    const lone = formPairs([{ candidate: srflxA, baseId: 'h' }], [hostB], true);
    expect(lone.map((p) => p.local)).toEqual([srflxA]);
  });

  it('orders by pair priority, highest first; relay pairs exist from the start', () => {
    for (let i = 1; i < pairs.length; i++) expect(pairs[i - 1].priority >= pairs[i].priority).toBe(true);
    expect(pairs.map((p) => `${p.local.type}-${p.remote.type}`)).toEqual(['host-host', 'host-host', 'host-srflx', 'relay-host', 'relay-srflx']);
  });
});

describe('check list states (RFC 8445 §6.1.2.6, §6.1.4.2)', () => {
  it('starts one pair per foundation Waiting, the rest Frozen, and unfreezes by foundation', () => {
    const hostB2 = makeCandidate({ type: 'host', address: v4('10.1.0.2', 9000) });
    const list = new Checklist();
    // A second remote host candidate with hostB's foundation: its pairs wait for hostB's to succeed.
    const sameFoundation = { ...hostB2, foundation: hostB.foundation };
    list.add(formPairs(locals, [hostB, sameFoundation, srflxB], true));
    const states = list.pairs.map((p) => `${p.local.type}-${p.remote.address}:${p.state}`);
    expect(states).toEqual(['host-10.1.0.1:waiting', 'host-10.1.0.2:frozen', 'host-203.0.113.2:waiting', 'relay-10.1.0.1:waiting', 'relay-10.1.0.2:frozen', 'relay-203.0.113.2:waiting']);
    const first = list.nextCheck();
    expect(first?.remote).toBe(hostB);
    first!.state = 'in-progress';
    list.unfreezeFoundation(first!.foundation);
    expect(list.pairs[1].state).toBe('waiting');
  });

  it('serves triggered checks first, then Waiting, then unfreezes a Frozen pair', () => {
    const list = new Checklist();
    const [a, b] = list.add(formPairs([locals[0]], [hostB, srflxB], true));
    a.state = 'in-progress';
    b.state = 'failed';
    expect(list.nextCheck()).toBeUndefined();
    list.enqueueTriggered(b);
    expect(b.state).toBe('waiting');
    expect(list.nextCheck()).toBe(b);
    expect(list.exhausted).toBe(false);
  });

  it('keeps the 100 highest-priority pairs', () => {
    const list = new Checklist();
    const remotes = Array.from({ length: 120 }, (_, i) => makeCandidate({ type: 'host', address: v4(`10.2.${i}.1`, 1000), localPreference: i }));
    list.add(formPairs([locals[0]], remotes, false));
    expect(list.pairs.length).toBe(100);
    expect(list.pairs.some((p) => p.remote.address === '10.2.119.1')).toBe(true);
    expect(list.pairs.some((p) => p.remote.address === '10.2.0.1')).toBe(false);
  });

  it('recomputes priorities on a role switch', () => {
    const list = new Checklist();
    const [p] = list.add([newPair(locals[0], srflxB, true)]);
    const before = p.priority;
    list.setRole(false);
    expect(p.priority).toBe(before - 1n);
  });
});
