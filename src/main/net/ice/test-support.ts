// An in-memory network for ICE agents under a virtual clock: sockets (bases) with or without a
// port-restricted cone NAT in front, TURN-style relayed bases, latency and a drop rule. No sockets.
import { IceAgent } from './agent';
import type { IceAgentOptions, IceEvent } from './types';
import { addressKey, makeCandidate } from './candidate';
import type { Candidate } from './candidate';
import type { TransportAddress } from '../stun/index';

export const v4 = (address: string, port: number): TransportAddress => ({ family: 'IPv4', address, port });

interface Base {
  readonly local: TransportAddress;
  /** Port-restricted cone NAT (RFC 4787 endpoint-independent mapping, address+port filtering). */
  readonly nat?: { readonly public: TransportAddress; readonly allowed: Set<string> };
  /** A relayed address on a TURN server: anyone may send to it (permissions not modelled). */
  readonly relay?: TransportAddress;
}

export interface Packet {
  readonly at: number;
  readonly from: TransportAddress;
  readonly to: TransportAddress;
  readonly bytes: Uint8Array;
  readonly sender: Peer;
}

export class Peer {
  readonly bases = new Map<string, Base>();
  readonly events: { at: number; event: IceEvent }[] = [];
  readonly candidates: Candidate[] = [];
  agent: IceAgent;

  constructor(
    readonly name: string,
    options: Omit<IceAgentOptions, 'now'>,
  ) {
    this.agent = new IceAgent({ ...options, now: 0 });
  }

  host(baseId: string, local: TransportAddress, localPreference = 65535): this {
    this.bases.set(baseId, { local });
    this.add(makeCandidate({ type: 'host', address: local, localPreference }), baseId);
    return this;
  }

  /** A host behind a NAT: host candidate (unreachable from outside) and, unless 'host', its srflx candidate on one base. */
  natted(baseId: string, local: TransportAddress, pub: TransportAddress, gathered: 'host' | 'both' = 'both'): this {
    this.bases.set(baseId, { local, nat: { public: pub, allowed: new Set() } });
    this.add(makeCandidate({ type: 'host', address: local }), baseId);
    if (gathered === 'both') this.add(makeCandidate({ type: 'srflx', address: pub, base: local, serverAddress: '198.51.100.1' }), baseId);
    return this;
  }

  relay(baseId: string, relayed: TransportAddress, mapped: TransportAddress): this {
    this.bases.set(baseId, { local: relayed, relay: relayed });
    this.add(makeCandidate({ type: 'relay', address: relayed, base: mapped, serverAddress: '198.51.100.1' }), baseId);
    return this;
  }

  private add(c: Candidate, baseId: string): void {
    this.candidates.push(c);
    this.agent.addLocalCandidate(c, baseId);
  }

  /** Gives the other side our credentials and candidates (the SDP exchange). */
  signalTo(other: Peer): void {
    other.agent.setRemoteCredentials(this.agent.localUfrag, this.agent.localPwd);
    for (const c of this.candidates) other.agent.addRemoteCandidate(c);
  }

  eventsOf<T extends IceEvent['type']>(type: T): Extract<IceEvent, { type: T }>[] {
    return this.events.filter((e) => e.event.type === type).map((e) => e.event as Extract<IceEvent, { type: T }>);
  }

  firstAt(type: IceEvent['type']): number | undefined {
    return this.events.find((e) => e.event.type === type)?.at;
  }
}

export class Network {
  now = 0;
  latencyMs = 5;
  /** Return true to lose the packet. */
  drop: (p: Packet) => boolean = () => false;
  readonly delivered: Packet[] = [];
  private queue: Packet[] = [];

  constructor(readonly peers: Peer[]) {}

  private collect(): void {
    for (const peer of this.peers) {
      for (let t = peer.agent.pollTransmit(); t; t = peer.agent.pollTransmit()) {
        const base = peer.bases.get(t.fromBaseId);
        if (!base) throw new Error(`unknown base ${t.fromBaseId}`);
        base.nat?.allowed.add(addressKey(t.to.address, t.to.port));
        const from = base.relay ?? base.nat?.public ?? base.local;
        this.queue.push({ at: this.now + this.latencyMs, from, to: t.to, bytes: t.bytes, sender: peer });
      }
      for (let e = peer.agent.pollEvent(); e; e = peer.agent.pollEvent()) peer.events.push({ at: this.now, event: e });
    }
  }

  private deliver(p: Packet): void {
    if (this.drop(p)) return;
    const to = addressKey(p.to.address, p.to.port);
    for (const peer of this.peers) {
      for (const [baseId, base] of peer.bases) {
        const face = base.relay ?? base.nat?.public ?? base.local;
        if (addressKey(face.address, face.port) !== to) continue;
        if (base.nat && !base.nat.allowed.has(addressKey(p.from.address, p.from.port))) return;
        this.delivered.push(p);
        peer.agent.handleStun(p.bytes, p.from, baseId, this.now);
        return;
      }
    }
  }

  /** Runs until virtual time `until` (bounded by `maxSteps` clock advances). */
  run(until: number, maxSteps = 200_000): void {
    for (let step = 0; step < maxSteps; step++) {
      this.collect();
      let next = Infinity;
      for (const p of this.queue) next = Math.min(next, p.at);
      for (const peer of this.peers) next = Math.min(next, peer.agent.nextTimeout() ?? Infinity);
      if (next > until) {
        this.now = until;
        return;
      }
      this.now = Math.max(this.now, next);
      const due = this.queue.filter((p) => p.at <= this.now);
      this.queue = this.queue.filter((p) => p.at > this.now);
      for (const p of due) this.deliver(p);
      for (const peer of this.peers) {
        const t = peer.agent.nextTimeout();
        if (t !== undefined && t <= this.now) peer.agent.handleTimeout(this.now);
      }
    }
    throw new Error('network simulation did not settle');
  }
}

/** Deterministic randomness for reproducible runs. */
export function seededBytes(seed: number): (n: number) => Uint8Array {
  let s = seed >>> 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out[i] = s >>> 24;
    }
    return out;
  };
}

export function agentOptions(name: string, controlling: boolean, tieBreaker: bigint, seed: number): Omit<IceAgentOptions, 'now'> {
  return { controlling, localUfrag: `${name}ufrag`, localPwd: `${name}-password-0123456789abc`, tieBreaker, randomBytes: seededBytes(seed) };
}
