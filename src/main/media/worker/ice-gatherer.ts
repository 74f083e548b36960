// Candidate gathering for one stream's socket (RFC 8445 §5.1.1): host candidates from the bound
// address (or every interface when bound to all), server-reflexive ones from STUN Binding
// requests (RFC 8489), relayed ones from TURN allocations (RFC 8656) — the allocation's
// XOR-MAPPED-ADDRESS is a server-reflexive candidate too. Relayed candidates are gathered from the
// start, alongside the others, so a relayed path is checked at once and not only after the direct
// ones time out. The protocol cores are sans-IO; this edge owns the socket writes and the clock.

import { networkInterfaces } from 'node:os';
import { BindingTransaction, type TransportAddress } from '../../net/stun';
import { TurnClient, type TurnEvent } from '../../net/turn';
import { makeCandidate, type Candidate } from '../../net/ice';
import type { IceServerSpec } from '../worker-protocol';
import { TurnTcpLink } from './turn-tcp';

/** Base ids: the stream's socket is `host:<address>`, a TURN allocation `relay:<n>`. */
export const hostBaseId = (address: string): string => `host:${address}`;

export interface GatheredCandidate {
  candidate: Candidate;
  baseId: string;
}

export type GatherFailure = { reason: 'turn-auth' | 'turn-unreachable' | 'turn-refused' | 'stun-unreachable'; server: string };

/** One TURN allocation of the stream (the ICE transport relays through it). */
export interface RelayAllocation {
  readonly baseId: string;
  readonly server: TransportAddress;
  readonly client: TurnClient;
  /**
   * An allocation made over TCP (RFC 8656 §3.1) has its own connection to the server: everything
   * for that server goes there, not on the stream's UDP socket.
   */
  readonly tcp?: TurnTcpLink;
}

/** The addresses host candidates are made of: the bound one, or every interface's of its family. */
export function hostAddresses(bound: string, hosts?: readonly string[]): string[] {
  if (bound !== '0.0.0.0' && bound !== '::') return [bound];
  // Main names the interface the route to the peer leaves from (local-address.ts): one host
  // candidate, and no check ever aimed at an address the peer cannot reach anyway.
  if (hosts && hosts.length > 0) return hosts.filter((h) => h.includes(':') === (bound === '::'));
  const v6 = bound === '::';
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) {
      if (i.internal) continue;
      if (v6 ? i.family !== 'IPv6' || i.address.startsWith('fe80') : i.family !== 'IPv4') continue;
      out.push(i.address);
    }
  }
  return out;
}

/**
 * Allocate retransmissions: 0, 0.25, 0.75, 1.75, 3.75 s, then 1 s more (RFC 8489 §6.2.1 Rc/Rm);
 * over TCP one request given up after 5 s (Ti, §6.2.2, shortened from 39.5 s alike).
 */
const TURN_RETRANSMIT = { rtoMs: 250, rc: 5, rm: 4, tcpTimeoutMs: 5000 };

const family = (address: string): TransportAddress['family'] => (address.includes(':') ? 'IPv6' : 'IPv4');
const key = (a: { address: string; port: number }): string => `${a.address}|${a.port}`;

interface Probe {
  server: TransportAddress;
  tx: BindingTransaction;
  at: number;
  done: boolean;
}

/**
 * Gathers once; `candidates` grows as answers come, `finished` says when every server answered or
 * gave up. The TURN clients live on after gathering (the allocations carry the relayed pairs).
 */
export class IceGatherer {
  readonly candidates: GatheredCandidate[] = [];
  readonly failures: GatherFailure[] = [];
  readonly relays: RelayAllocation[] = [];
  private readonly probes: Probe[] = [];
  private readonly pendingTurn = new Set<TurnClient>();
  /** Host candidates (kept even when relay-only hides them: srflx candidates name their base). */
  private readonly hosts: GatheredCandidate[] = [];
  private readonly hostBase: string;

  constructor(
    private readonly send: (bytes: Uint8Array, to: TransportAddress) => void,
    private readonly onCandidate: (c: GatheredCandidate) => void,
    private readonly onTurnEvent: (relay: RelayAllocation, e: TurnEvent) => void,
    bound: { address: string; port: number },
    servers: IceServerSpec,
    now: number,
    hostHint?: readonly string[],
    /** Offer only relayed candidates: the peer never learns our addresses (privacy), media always relayed. */
    private readonly relayOnly = false,
    /** Restart generation, so relay base ids of successive gatherings never collide. */
    generation = 0,
    /** A message an allocation's TCP connection delivered (the caller feeds handleTurn and runs ICE). */
    private readonly onTcpMessage: (relay: RelayAllocation, bytes: Uint8Array) => void = (relay, bytes) => this.handleTurn(relay, bytes, Math.floor(performance.now())),
  ) {
    const hosts = hostAddresses(bound.address, hostHint);
    this.hostBase = hostBaseId(hosts[0] ?? bound.address);
    hosts.forEach((address, i) => {
      // RFC 8445 §5.1.2.1: rank the interfaces; one address gets the full 65535.
      const localPreference = 65535 - i;
      const host = { candidate: makeCandidate({ type: 'host', address: { family: family(address), address, port: bound.port }, localPreference }), baseId: hostBaseId(address) };
      this.hosts.push(host);
      this.add(host);
    });
    for (const server of servers.stun) {
      const tx = new BindingTransaction();
      const probe: Probe = { server, tx, at: now, done: false };
      this.probes.push(probe);
      this.step(probe, tx.start(now));
    }
    servers.turn.forEach((t, i) => {
      const transport = t.transport ?? 'udp';
      // A shorter schedule than RFC 8489's 39.5 s: an unreachable relay is said within ~5 s.
      const client = new TurnClient({ server: t.server, username: t.username, password: t.password, transport, now, retransmit: TURN_RETRANSMIT });
      const baseId = `relay:${generation}:${i}`;
      const relay: RelayAllocation =
        transport === 'tcp'
          ? { baseId, server: t.server, client, tcp: new TurnTcpLink(t.server, (bytes) => this.onTcpMessage(relay, bytes), () => this.tcpEnded(relay)) }
          : { baseId, server: t.server, client };
      this.relays.push(relay);
      this.pendingTurn.add(client);
      this.flushTurn(relay, now);
    });
  }

  get finished(): boolean {
    return this.pendingTurn.size === 0 && this.probes.every((p) => p.done);
  }

  /** The host candidate address of a family (where a datagram on the socket arrived). */
  hostFor(v6: boolean): string {
    return (this.hosts.find((h) => h.candidate.address.includes(':') === v6) ?? this.hosts[0])?.candidate.address ?? '';
  }

  /** The UDP relay allocation a datagram from `from` belongs to, if it came from a TURN server. */
  relayFrom(from: { address: string; port: number }): RelayAllocation | undefined {
    for (const r of this.relays) if (!r.tcp && r.server.port === from.port && r.server.address === from.address) return r;
    return undefined;
  }

  /** A STUN message from a STUN server (our srflx probes); false when it is not one of ours. */
  handleServerStun(bytes: Uint8Array, from: { address: string; port: number }, now: number): boolean {
    for (const p of this.probes) {
      if (p.done || p.server.port !== from.port || p.server.address !== from.address) continue;
      const r = p.tx.input(bytes, now);
      if (r.kind === 'ignored') continue;
      p.done = true;
      if (r.kind === 'success') this.addServerReflexive(r.mapped, p.server);
      else this.failures.push({ reason: 'stun-unreachable', server: key(p.server) });
      return true;
    }
    return false;
  }

  /** Input from a TURN server (a STUN message or ChannelData). */
  handleTurn(relay: RelayAllocation, bytes: Uint8Array, now: number): void {
    relay.client.handleInput(bytes, now);
    this.flushTurn(relay, now);
  }

  nextTimeout(): number | undefined {
    let t: number | undefined;
    for (const p of this.probes) if (!p.done && (t === undefined || p.at < t)) t = p.at;
    for (const r of this.relays) {
      const x = r.client.nextTimeout();
      if (x !== undefined && (t === undefined || x < t)) t = x;
    }
    return t;
  }

  handleTimeout(now: number): void {
    for (const p of this.probes) {
      if (p.done || now < p.at) continue;
      this.step(p, p.tx.tick(now));
    }
    for (const r of this.relays) {
      const x = r.client.nextTimeout();
      if (x !== undefined && x <= now) r.client.handleTimeout(now);
      this.flushTurn(r, now);
    }
  }

  /** Deletes every allocation (RFC 8656 §7.2); a TCP one's connection closes once the request is out. */
  release(now: number): void {
    for (const r of this.relays) {
      r.client.close(now);
      this.flushTurn(r, now);
      r.tcp?.close();
    }
  }

  /** Sends what a TURN client queued and hands its events on. */
  flushTurn(relay: RelayAllocation, now: number): void {
    for (let b = relay.client.pollTransmit(); b; b = relay.client.pollTransmit()) {
      if (relay.tcp) relay.tcp.write(b);
      else this.send(b, relay.server);
    }
    for (let e = relay.client.pollEvent(); e; e = relay.client.pollEvent()) {
      if (e.type === 'allocated') {
        this.pendingTurn.delete(relay.client);
        if (e.mapped) this.addServerReflexive(e.mapped, relay.server);
        const base = { family: e.relayed.family, address: e.relayed.address, port: e.relayed.port };
        this.add({ candidate: makeCandidate({ type: 'relay', address: e.relayed, base: e.mapped ?? base, serverAddress: relay.server.address }), baseId: relay.baseId });
      } else if (e.type === 'error' && this.pendingTurn.delete(relay.client)) {
        this.failures.push({ reason: e.reason === 'turn-lost' ? 'turn-unreachable' : e.reason, server: key(relay.server) });
      }
      this.onTurnEvent(relay, e);
    }
    void now;
  }

  /** The TCP connection failed or closed: no allocation yet is 'turn-unreachable', a made one is lost. */
  private tcpEnded(relay: RelayAllocation): void {
    const pending = this.pendingTurn.delete(relay.client);
    if (pending) this.failures.push({ reason: 'turn-unreachable', server: key(relay.server) });
    if (relay.client.state === 'closed' || relay.client.state === 'closing' || relay.client.state === 'failed') return;
    relay.client.close(Math.floor(performance.now()));
    while (relay.client.pollTransmit());
    while (relay.client.pollEvent());
    this.onTurnEvent(relay, { type: 'error', reason: pending ? 'turn-unreachable' : 'turn-lost' });
  }

  private step(p: Probe, s: ReturnType<BindingTransaction['tick']>): void {
    if (s.kind === 'transmit') {
      this.send(s.packet, p.server);
      p.at = s.at;
    } else if (s.kind === 'wait') p.at = s.at;
    else if (s.kind === 'timeout') {
      p.done = true;
      this.failures.push({ reason: 'stun-unreachable', server: key(p.server) });
    } else p.done = true;
  }

  private addServerReflexive(mapped: TransportAddress, server: TransportAddress): void {
    const host = this.candidates.find((c) => c.candidate.type === 'host') ?? this.hosts[0];
    // Behind no NAT the mapped address is a host candidate already (RFC 8445 §5.1.3: redundant).
    if (this.candidates.some((c) => (c.candidate.type === 'host' || c.candidate.type === 'srflx') && key(c.candidate) === key(mapped))) return;
    const base = host ? { family: family(host.candidate.address), address: host.candidate.address, port: host.candidate.port } : mapped;
    this.add({ candidate: makeCandidate({ type: 'srflx', address: mapped, base, serverAddress: server.address }), baseId: host?.baseId ?? this.hostBase });
  }

  private add(c: GatheredCandidate): void {
    if (this.relayOnly && c.candidate.type !== 'relay') return;
    this.candidates.push(c);
    this.onCandidate(c);
  }
}
