// ICE for one stream, on the stream's one socket (RFC 8445, RFC 8839; rtcp-mux, so one
// component). It feeds the sans-IO IceAgent and TURN clients with what the socket receives and the
// clock, and sends what they queue. Media and ZRTP never wait for nomination: the first pair whose
// check succeeds becomes the stream's path at once (ZRTP starts on it), and every later selected
// pair (nomination, a relayed pair replaced by a direct one, a restart) takes over the same
// keys — the SRTP sessions don't know which path their packets take.
//
// Through a relay, the stream's Endpoint carries a RelayRoute: media-socket.ts frames packets as
// ChannelData (RFC 8656 §12) in place, and what the TURN server relays back is dispatched as if
// it came from the peer, so nothing above this file knows a relay exists.

import type { RemoteInfo } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { IceAgent, formatCandidate, parseCandidate, type Candidate, type IcePair, type IceState } from '../../net/ice';
import type { TransportAddress } from '../../net/stun';
import type { TurnEvent } from '../../net/turn';
import type { Endpoint, MediaSocket, RelayRoute } from './media-socket';
import { IceGatherer, type GatheredCandidate, type RelayAllocation } from './ice-gatherer';
import { generateIceCredentials } from '../../sdp/ice';
import type { IcePathKind, IceServerSpec, IceRemoteParams } from '../worker-protocol';

export interface IceTransportEvents {
  /** A path to use now (first valid pair, then each selected pair). */
  path(to: Endpoint, pair: IcePair, kind: IcePathKind, selected: boolean): void;
  failed(reason: 'turn-auth' | 'turn-unreachable' | 'no-path'): void;
  /** RFC 7675: the selected pair lost consent; nothing may be sent on it any more. */
  consentLost(): void;
  log(message: string): void;
}

/** Fresh ufrag/pwd (RFC 8445 §5.3), from node:crypto. */
const newCredentials = () => generateIceCredentials((n) => new Uint8Array(randomBytes(n)));

const now = (): number => Math.floor(performance.now());

/** What the user is told the path is: direct, through a NAT's public address, or a relay. */
export function pathKind(pair: IcePair): IcePathKind {
  if (pair.local.type === 'relay' || pair.remote.type === 'relay') return 'relay';
  if (pair.remote.type === 'srflx' || pair.local.type === 'srflx') return 'srflx';
  if (pair.remote.type === 'prflx' || pair.local.type === 'prflx') return 'prflx';
  return 'host';
}

export class IceTransport {
  ufrag: string;
  pwd: string;
  private gatherer: IceGatherer;
  private agent: IceAgent;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  /** RemoteInfo per bound channel, so relayed ChannelData is dispatched without allocating. */
  private readonly channels = new Map<number, { relay: RelayAllocation; from: RemoteInfo }>();
  /** One RelayRoute per (relay, peer) in use: its `channel` is filled in when the bind succeeds. */
  private readonly routes = new Map<string, RelayRoute>();
  private usable = false;
  private selectedKey = '';
  private reportedFailure = false;
  private readonly reportedTurn = new Set<string>();
  /** Restart generation: relay base ids stay unique across restarts. */
  private generation = 0;
  private closed = false;

  constructor(
    private readonly socket: MediaSocket,
    private readonly bound: { address: string; port: number },
    private readonly servers: IceServerSpec,
    controlling: boolean,
    private readonly events: IceTransportEvents,
    /** Requests per check (RFC 8489 Rc; the agent's default 7 gives up on a pair after ~40 s). */
    private readonly tuning: { checkRc?: number; checkRm?: number; hosts?: readonly string[]; relayOnly?: boolean; consentIntervalMs?: number; consentTimeoutMs?: number } = {},
  ) {
    const { ufrag, pwd } = newCredentials();
    this.ufrag = ufrag;
    this.pwd = pwd;
    const t = now();
    const tieBreaker = randomBytes(8).readBigUInt64BE(0);
    this.agent = new IceAgent({ controlling, localUfrag: ufrag, localPwd: pwd, tieBreaker, now: t, checkRc: tuning.checkRc, checkRm: tuning.checkRm, consentIntervalMs: tuning.consentIntervalMs, consentTimeoutMs: tuning.consentTimeoutMs });
    this.gatherer = this.gather(t, tuning.hosts);
    this.pump();
  }

  private gather(t: number, hosts: readonly string[] | undefined): IceGatherer {
    return new IceGatherer(
      (bytes, to) => this.socket.sendBytes(bytes, to),
      (c) => this.agent.addLocalCandidate(c.candidate, c.baseId),
      (relay, e) => this.onTurnEvent(relay, e),
      this.bound,
      this.servers,
      t,
      hosts,
      this.tuning.relayOnly,
      this.generation,
      // A TCP allocation's messages (STUN answers, Data indications, ChannelData): what the TURN
      // client makes of them comes back through onTurnEvent.
      (relay, bytes) => {
        if (this.closed) return;
        this.onRelayInput(relay, bytes, now());
        this.pump();
      },
    );
  }

  /**
   * Our ICE restart (RFC 8445 §9): new credentials and candidates gathered again — the network
   * changed, so the server-reflexive address and the relay allocation may be gone. The selected
   * pair keeps carrying media until the restarted checks select one; the old allocations are
   * released once the new ones exist.
   */
  async restartLocal(hosts: readonly string[] | undefined, timeoutMs: number, regather: boolean): Promise<void> {
    const { ufrag, pwd } = newCredentials();
    this.ufrag = ufrag;
    this.pwd = pwd;
    // The agent keeps our candidates: a restart the peer asked for needs new credentials only.
    this.agent.restart(ufrag, pwd);
    this.selectedKey = '';
    this.reportedFailure = false;
    if (!regather) {
      this.pump();
      return;
    }
    // Our network changed: the old allocation is released first (a new one on the same 5-tuple
    // would get 437 Allocation Mismatch, RFC 8656 §7.2), then everything is gathered again.
    const t = now();
    this.gatherer.release(t);
    this.generation++;
    this.gatherer = this.gather(t, hosts ?? this.tuning.hosts);
    this.pump();
    await this.gathered(timeoutMs);
  }

  /** Local candidates gathered so far, as a=candidate values (RFC 8839 §5.1). */
  candidates(): string[] {
    return this.gatherer.candidates.map((c: GatheredCandidate) => formatCandidate(c.candidate));
  }

  /**
   * The default candidate for c=/m= (RFC 8839 §4.2.1.2) when it is not what the SDP says anyway:
   * the server-reflexive one, reachable from outside our NAT. Without one the SDP keeps the
   * address main chose (the local one, or the public one the registrar saw) and the host port.
   */
  defaultCandidate(): { address: string; port: number } | undefined {
    const srflx = this.gatherer.candidates.find((c) => c.candidate.type === 'srflx')?.candidate;
    return srflx && { address: srflx.address, port: srflx.port };
  }

  /** Resolves once every STUN/TURN server answered or gave up, or after `timeoutMs`. */
  async gathered(timeoutMs: number): Promise<void> {
    const end = now() + timeoutMs;
    while (!this.gatherer.finished && now() < end && !this.closed) await new Promise((r) => setTimeout(r, 5));
    // TURN failures are reported as they happen (onTurnEvent); a silent STUN server only logged.
    for (const f of this.gatherer.failures) if (f.reason === 'stun-unreachable') this.events.log(`ICE: no answer from the STUN server ${f.server}`);
  }

  /** The peer's ICE parameters (its SDP): checks start. */
  setRemote(remote: IceRemoteParams): void {
    if (remote.restart) {
      this.agent.restart(this.ufrag, this.pwd);
      this.selectedKey = '';
    }
    this.agent.setRemoteCredentials(remote.ufrag, remote.pwd);
    for (const text of remote.candidates) {
      const parsed = parseCandidate(text);
      if (!parsed.ok || parsed.candidate.component !== 1) continue;
      const c: Candidate = parsed.candidate;
      // RFC 8656 §9: the relay forwards only from peers with a permission.
      for (const r of this.gatherer.relays) if (r.client.state === 'allocated') r.client.addPermission(c.address, now());
      this.agent.addRemoteCandidate(c);
    }
    // SIP carries every candidate in the SDP (no trickle): the list is complete (RFC 8838 §13).
    this.agent.setRemoteEndOfCandidates();
    this.pump();
  }

  /** A STUN message on the socket: our servers' answers, a TURN server's, or the peer's checks. */
  onStun(bytes: Uint8Array, from: RemoteInfo): void {
    const t = now();
    // A server may be both our STUN and our TURN server: its Binding answers go to the probe
    // (matched by transaction id), everything else it sends to the TURN client.
    if (!this.gatherer.handleServerStun(bytes, from, t)) {
      const relay = this.relayFrom(from);
      if (relay) this.onRelayInput(relay, bytes, t);
      else this.agent.handleStun(bytes, { family: from.family === 'IPv6' ? 'IPv6' : 'IPv4', address: from.address, port: from.port }, `host:${this.hostAddressFor(from)}`, t);
    }
    this.pump();
  }

  /** ChannelData from a TURN server: the peer's packet inside goes on as from the peer. */
  onChannelData(bytes: Uint8Array, from: RemoteInfo): void {
    const channel = (bytes[0] << 8) | bytes[1];
    const bound = this.channels.get(channel);
    const length = (bytes[2] << 8) | bytes[3];
    if (!bound || 4 + length > bytes.length || bound.relay.server.port !== from.port || bound.relay.server.address !== from.address) return;
    const b0 = bytes[4];
    if (b0 <= 3) this.onRelayed(bound.relay, bytes.subarray(4, 4 + length), bound.from);
    else this.socket.dispatch(bytes, 4, 4 + length, bound.from);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.gatherer.release(now());
  }

  /** The allocation a TURN server's datagram belongs to (this generation's, else a restarted-away one's). */
  private relayFrom(from: RemoteInfo): RelayAllocation | undefined {
    return this.gatherer.relayFrom(from);
  }

  private hostAddressFor(from: RemoteInfo): string {
    return this.gatherer.hostFor(from.address.includes(':'));
  }

  private onRelayInput(relay: RelayAllocation, bytes: Uint8Array, t: number): void {
    this.gatherer.handleTurn(relay, bytes, t);
  }

  private onTurnEvent(relay: RelayAllocation, e: TurnEvent): void {
    switch (e.type) {
      case 'data':
        this.onRelayed(relay, e.bytes, { address: e.from.address, port: e.from.port, family: e.from.family, size: e.bytes.length });
        return;
      case 'channel-bound': {
        // Over TCP the client unwraps ChannelData itself ('data' events) and wraps what we send.
        if (relay.tcp) return;
        const from: RemoteInfo = { address: e.peer.address, port: e.peer.port, family: e.peer.family, size: 0 };
        this.channels.set(e.channel, { relay, from });
        const route = this.routes.get(`${relay.baseId}|${e.peer.address}|${e.peer.port}`);
        if (route) route.channel = e.channel;
        return;
      }
      case 'error':
        if (e.reason === 'turn-lost') this.events.log(`ICE: the TURN allocation at ${relay.server.address} is lost`);
        else if ((e.reason === 'turn-auth' || e.reason === 'turn-unreachable') && !this.reportedTurn.has(e.reason)) {
          this.reportedTurn.add(e.reason);
          this.events.failed(e.reason);
        } else this.events.log(`ICE: the TURN server ${relay.server.address} refused the allocation (${e.code ?? '?'})`);
        return;
      default:
        return;
    }
  }

  /** A packet the relay forwarded from a peer: a check for the agent, anything else for the stream. */
  private onRelayed(relay: RelayAllocation, bytes: Uint8Array, from: RemoteInfo): void {
    if (bytes.length > 0 && bytes[0] <= 3) {
      this.agent.handleStun(bytes, { family: from.family === 'IPv6' ? 'IPv6' : 'IPv4', address: from.address, port: from.port }, relay.baseId, now());
      this.pump();
      return;
    }
    this.socket.dispatch(bytes, 0, bytes.length, from);
  }

  /** Where packets for `pair` go: straight to the peer, or through the relay its local base is. */
  private endpointFor(pair: IcePair): Endpoint {
    const to: Endpoint = { address: pair.remoteAddress.address, port: pair.remoteAddress.port };
    const relay = this.gatherer.relays.find((r) => r.baseId === pair.localBaseId);
    if (!relay) return to;
    const peer: TransportAddress = pair.remoteAddress;
    const routeKey = `${relay.baseId}|${peer.address}|${peer.port}`;
    let route = this.routes.get(routeKey);
    if (!route) {
      const tcp = relay.tcp;
      route = {
        server: { address: relay.server.address, port: relay.server.port },
        channel: tcp ? 0 : (relay.client.channelOf(peer) ?? 0),
        wrap: (bytes) => relay.client.wrap(peer, bytes, now()) ?? new Uint8Array(0),
      };
      if (tcp) {
        route.send = (bytes) => {
          if (bytes.length > 0) tcp.write(bytes);
          // wrap() may have queued a ChannelBind for this peer.
          this.gatherer.flushTurn(relay, now());
        };
      }
      this.routes.set(routeKey, route);
      if (relay.client.channelOf(peer) === undefined) {
        relay.client.bindChannel(peer, now());
        this.gatherer.flushTurn(relay, now());
      }
    }
    to.relay = route;
    return to;
  }

  /** Runs the agent: sends its packets, acts on its events, re-arms the one timer. */
  private pump(): void {
    if (this.closed) return;
    const t = now();
    for (let x = this.agent.pollTransmit(); x; x = this.agent.pollTransmit()) {
      const relay = this.gatherer.relays.find((r) => r.baseId === x!.fromBaseId);
      if (relay) {
        relay.client.send(x.to, x.bytes, t);
        this.gatherer.flushTurn(relay, t);
      } else this.socket.sendBytes(x.bytes, { address: x.to.address, port: x.to.port });
    }
    for (let e = this.agent.pollEvent(); e; e = this.agent.pollEvent()) {
      if (e.type === 'pair-succeeded' && !this.usable) {
        this.usable = true;
        this.events.path(this.endpointFor(e.pair), e.pair, pathKind(e.pair), false);
      } else if (e.type === 'selected-pair') {
        const k = `${e.pair.localBaseId}|${e.pair.remoteAddress.address}|${e.pair.remoteAddress.port}`;
        if (k === this.selectedKey) continue;
        this.selectedKey = k;
        this.usable = true;
        this.events.path(this.endpointFor(e.pair), e.pair, pathKind(e.pair), true);
      } else if (e.type === 'state') this.onState(e.state);
      else if (e.type === 'consent-lost') {
        this.events.log(`ICE: consent lost on ${e.pair.remoteAddress.address}:${e.pair.remoteAddress.port} (RFC 7675)`);
        this.selectedKey = '';
        this.events.consentLost();
      }
    }
    this.arm();
  }

  private onState(state: IceState): void {
    this.events.log(`ICE: ${state}`);
    if (state === 'failed' && !this.reportedFailure) {
      this.reportedFailure = true;
      this.events.failed('no-path');
    }
  }

  private arm(): void {
    let at = this.agent.nextTimeout();
    const g = this.gatherer.nextTimeout();
    if (g !== undefined && (at === undefined || g < at)) at = g;
    if (at === undefined) return;
    if (this.timer && at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      const t = now();
      this.gatherer.handleTimeout(t);
      this.agent.handleTimeout(t);
      this.pump();
    }, Math.max(0, at - now()));
  }
}
